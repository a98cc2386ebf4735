// RUN: %kdlint-kbuild --checks=-*,kernel-kmap-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:"
// RUN: %kdlint-kbuild --checks=-*,kernel-kmap-leak --export-fixes=%t.yaml %s >/dev/null 2>&1; FileCheck %s --check-prefix=FIX < %t.yaml
#include <linux/module.h>
#include <linux/highmem.h>
#include <linux/string.h>
#include <linux/scatterlist.h>

static int km_checksum(struct page *page, unsigned int len, u32 *sum)
{
	u8 *va = kmap_local_page(page);
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
}

static void km_wrong_unmap(struct page *page)
{
	void *v = kmap_local_page(page);

	memset(v, 0, 32);
	kunmap(page);				/* a local mapping: kunmap_local(v) */
}

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


// FIX: Message: '''kunmap'' takes the page, not the address ''addr''; pass ''page'''
// FIX: Length: 4
// FIX-NEXT: ReplacementText: page

// CHECK: {{.*}}kmap.c:10:11: warning: kmap_local mapping from 'kmap_local_page' is not unmapped on every path (an error path leaks it); call 'kunmap_local' [kernel-kmap-leak]
// CHECK: {{.*}}kmap.c:13:6: note: taking the true branch here
// CHECK: {{.*}}kmap.c:14:3: note: 'km_checksum' returns here with an error and the kmap_local mapping is still mapped
// CHECK: {{.*}}kmap.c:44:2: warning: 'kunmap' does not release a kmap_local mapping from 'kmap_local_page'; use 'kunmap_local' [kernel-kmap-leak]
// CHECK: {{.*}}kmap.c:41:12: note: acquired here by 'kmap_local_page'
// CHECK: {{.*}}kmap.c:27:2: warning: 'kunmap_local' of 's' while 'd', mapped after it, is still mapped: local mappings must be unmapped in the reverse order [kernel-kmap-leak]
// CHECK: {{.*}}kmap.c:23:12: note: mapped here by 'kmap_local_page'
// CHECK: {{.*}}kmap.c:24:12: note: mapped later here by 'kmap_local_page'
// CHECK: {{.*}}kmap.c:36:2: warning: 'kunmap' takes the page, not the address 'addr'; pass 'page' [kernel-kmap-leak]
// CHECK: {{.*}}kmap.c:33:15: note: 'page' is the page mapped here by 'kmap'
