// RUN: %kdlint-kbuild --checks=-*,kernel-kmap-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
//
// --export-fixes: a fresh file, exit status 1 for findings (KDLINT_WERROR=1: in
// Kbuild mode kdlint otherwise exits 0 like sparse), and each fix's file, offset,
// length and text. Offsets are grep -b's byte offsets of the code in this file
// (the [;] keeps the pattern from matching this RUN line).
// RUN: rm -f %t.yaml
// RUN: cd %kdir && env KDLINT_WERROR=1 sh -c '"$@" >/dev/null 2>&1; echo "exit=$?"' sh %kdlint %kflags --checks=-*,kernel-kmap-leak --export-fixes=%t.yaml %s | FileCheck %s --check-prefix=EXIT
// EXIT: {{^}}exit=1{{$}}
// RUN: grep -b -o 'kunmap(addr)[;]' %s > %t.off
// RUN: cat %t.off %t.yaml | FileCheck %s --check-prefix=FIX -DFILE=%s --implicit-check-not=ReplacementText:
// FIX: {{^}}[[#KUNMAP:]]:kunmap(addr)
// FIX-NEXT: {{^}}---
#include <linux/module.h>
#include <linux/highmem.h>
#include <linux/string.h>
#include <linux/scatterlist.h>

static int km_checksum(struct page *page, unsigned int len, u32 *sum)
{
	// CHECK: {{.*}}kmap.c:[[@LINE+1]]:11: warning: kmap_local mapping from 'kmap_local_page' is not unmapped on every path (an error path leaks it); call 'kunmap_local' [kernel-kmap-leak]
	u8 *va = kmap_local_page(page);
	// CHECK: {{.*}}kmap.c:[[@LINE+4]]:6: note: taking the true branch here
	// CHECK: {{.*}}kmap.c:[[@LINE+4]]:3: note: 'km_checksum' returns here with an error and the kmap_local mapping is still mapped
	unsigned int i;

	if (len > PAGE_SIZE)
		return -EINVAL;			/* leaks the mapping */
	for (i = 0; i < len; i++)
		*sum += va[i];
	kunmap_local(va);
	return 0;
}

static void km_copy(struct page *dst, struct page *src)
{
	void *s = kmap_local_page(src);
	void *d = kmap_local_page(dst);

	memcpy(d, s, PAGE_SIZE);
	kunmap_local(s);			/* out of order: d is newer */
	kunmap_local(d);
}

static void km_fill(struct page *page)
{
	void *addr = kmap(page);

	memset(addr, 0, PAGE_SIZE);
	kunmap(addr);				/* kunmap() takes the page */
	// kunmap(addr) -> kunmap(page): the 4 bytes of 'addr', 7 bytes ("kunmap(") into the call.
	// FIX: Message: '''kunmap'' takes the page, not the address ''addr''; pass ''page'''
	// FIX-NEXT: FilePath: '[[FILE]]'
	// FIX-NEXT: FileOffset: [[#KUNMAP]]{{$}}
	// FIX-NEXT: Replacements:
	// FIX-NEXT: - FilePath: '[[FILE]]'
	// FIX-NEXT: Offset: [[#KUNMAP+7]]{{$}}
	// FIX-NEXT: Length: 4{{$}}
	// FIX-NEXT: ReplacementText: page{{$}}
}

static void km_wrong_unmap(struct page *page)
{
	void *v = kmap_local_page(page);

	memset(v, 0, 32);
	// CHECK: {{.*}}kmap.c:[[@LINE+1]]:2: warning: 'kunmap' does not release a kmap_local mapping from 'kmap_local_page'; use 'kunmap_local' [kernel-kmap-leak]
	kunmap(page);				/* a local mapping: kunmap_local(v) */
	// CHECK: {{.*}}kmap.c:[[@LINE-5]]:12: note: acquired here by 'kmap_local_page'
}

// The check reports the leaks and wrong releases of the whole file first, then,
// function by function, unmaps out of order and kunmap() of the address; so the
// findings on km_copy() and km_fill() above are checked here:
// CHECK: {{.*}}kmap.c:[[@LINE-34]]:2: warning: 'kunmap_local' of 's' while 'd', mapped after it, is still mapped: local mappings must be unmapped in the reverse order [kernel-kmap-leak]
// CHECK: {{.*}}kmap.c:[[@LINE-39]]:12: note: mapped here by 'kmap_local_page'
// CHECK: {{.*}}kmap.c:[[@LINE-39]]:12: note: mapped later here by 'kmap_local_page'
// CHECK: {{.*}}kmap.c:[[@LINE-28]]:2: warning: 'kunmap' takes the page, not the address 'addr'; pass 'page' [kernel-kmap-leak]
// CHECK: {{.*}}kmap.c:[[@LINE-32]]:15: note: 'page' is the page mapped here by 'kmap'

/* Correct code: none of this is reported. */
static void km_ok(struct page *dst, struct page *src, struct scatterlist *sg)
{
	void *s = kmap_local_page(src);
	void *d = kmap_local_page(dst);
	void *a;

	memcpy(d, s, PAGE_SIZE);
	kunmap_local(d);
	kunmap_local(s);
	a = kmap(sg_page(sg));
	memset(a, 0, 16);
	kunmap(sg_page(sg));
	a = kmap_atomic(dst);
	memset(a, 0, 16);
	kunmap_atomic(a);
}

static void *km_map_for_caller(struct page *p)
{
	return kmap_local_page(p);		/* the caller unmaps */
}

MODULE_LICENSE("GPL");
