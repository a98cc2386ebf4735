// RUN: %kdlint-kbuild --checks=-*,kernel-alloc-free-mismatch %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:" --allow-unused-prefixes --check-prefixes=CHECK,%if linux-6.1 %{OLD%} %else %{NEW%}
//
// --export-fixes: a fresh file, exit status 1 for findings (KDLINT_WERROR=1: in
// Kbuild mode kdlint otherwise exits 0 like sparse), and each fix's file, offset,
// length and text. Offsets are grep -b's byte offsets of the code in this file
// (the [;] keeps a pattern from matching this RUN line).
// RUN: rm -f %t.yaml
// RUN: cd %kdir && env KDLINT_WERROR=1 sh -c '"$@" >/dev/null 2>&1; echo "exit=$?"' sh %kdlint %kflags --checks=-*,kernel-alloc-free-mismatch --export-fixes=%t.yaml %s | FileCheck %s --check-prefix=EXIT
// EXIT: {{^}}exit=1{{$}}
// RUN: grep -b -o -e 'kfree(p->table)[;]' -e 'kfree(p->stats)[;]' -e 'vfree(buf)[;]' %s > %t.off
// RUN: cat %t.off %t.yaml | FileCheck %s --check-prefix=FIX -DFILE=%s --implicit-check-not=ReplacementText:
// FIX: {{^}}[[#TABLE:]]:kfree(p->table)
// FIX-NEXT: {{^}}[[#STATS:]]:kfree(p->stats)
// FIX-NEXT: {{^}}[[#BUF:]]:vfree(buf)
// FIX-NEXT: {{^}}---
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/mm.h>
#include <linux/gfp.h>

struct mm_priv {
	void *table;
	u32 *stats;
	struct kmem_cache *cache;
	void *obj;
};

static int mm_init(struct mm_priv *p, size_t n)
{
	p->table = vmalloc(n);
	if (!p->table)
		return -ENOMEM;
	p->stats = kvcalloc(n, sizeof(u32), GFP_KERNEL);
	if (!p->stats) {
		vfree(p->table);
		return -ENOMEM;
	}
	p->obj = kmem_cache_alloc(p->cache, GFP_KERNEL);
	return 0;
}

static void mm_exit(struct mm_priv *p)
{
	// CHECK: {{.*}}families.c:[[@LINE+1]]:2: warning: 'kfree' frees vmalloc() memory from 'vmalloc'; use 'vfree' [kernel-alloc-free-mismatch]
	kfree(p->table);			/* vmalloc memory */
	// CHECK: {{.*}}families.c:[[@LINE-16]]:13: note: allocated here by 'vmalloc' in 'mm_init'
	// CHECK: {{.*}}families.c:[[@LINE-17]]:2: note: stored in 'p->table' here
	// FIX: Message: '''kfree'' frees vmalloc() memory from ''vmalloc''; use ''vfree'''
	// FIX-NEXT: FilePath: '[[FILE]]'
	// FIX-NEXT: FileOffset: [[#TABLE]]{{$}}
	// FIX-NEXT: Replacements:
	// FIX-NEXT: - FilePath: '[[FILE]]'
	// FIX-NEXT: Offset: [[#TABLE]]{{$}}
	// FIX-NEXT: Length: 5{{$}}
	// FIX-NEXT: ReplacementText: vfree{{$}}
	// CHECK: {{.*}}families.c:[[@LINE+1]]:2: warning: 'kfree' frees kvmalloc() memory from 'kvcalloc'; use 'kvfree' [kernel-alloc-free-mismatch]
	kfree(p->stats);			/* kvmalloc memory */
	// CHECK: {{.*}}families.c:[[@LINE-25]]:13: note: allocated here by 'kvcalloc' in 'mm_init'
	// CHECK: {{.*}}families.c:[[@LINE-26]]:2: note: stored in 'p->stats' here
	// FIX: Message: '''kfree'' frees kvmalloc() memory from ''kvcalloc''; use ''kvfree'''
	// FIX-NEXT: FilePath: '[[FILE]]'
	// FIX-NEXT: FileOffset: [[#STATS]]{{$}}
	// FIX-NEXT: Replacements:
	// FIX-NEXT: - FilePath: '[[FILE]]'
	// FIX-NEXT: Offset: [[#STATS]]{{$}}
	// FIX-NEXT: Length: 5{{$}}
	// FIX-NEXT: ReplacementText: kvfree{{$}}
	// OLD: {{.*}}families.c:[[@LINE+1]]:2: warning: 'kfree' frees kmem_cache_alloc() object from 'kmem_cache_alloc'; use 'kmem_cache_free' [kernel-alloc-free-mismatch]
	kfree(p->obj);				/* kmem_cache object: fine from 6.4 */
	// OLD: {{.*}}families.c:[[@LINE-32]]:11: note: allocated here by 'kmem_cache_alloc' in 'mm_init'
	// OLD: {{.*}}families.c:[[@LINE-33]]:2: note: stored in 'p->obj' here
}

static int mm_probe(struct platform_device *pdev)
{
	char *name = devm_kasprintf(&pdev->dev, GFP_KERNEL, "mm-%d", pdev->id);
	void *buf = kmalloc(64, GFP_KERNEL);
	unsigned long pages = __get_free_pages(GFP_KERNEL, 2);
	struct page *pg = alloc_pages(GFP_KERNEL, 1);

	if (!name || !buf || !pages || !pg)
		return -ENOMEM;
	// CHECK: {{.*}}families.c:[[@LINE+1]]:2: warning: 'vfree' frees kmalloc() memory from 'kmalloc'; use 'kfree' [kernel-alloc-free-mismatch]
	vfree(buf);				/* kmalloc memory */
	// CHECK: {{.*}}families.c:[[@LINE-8]]:14: note: allocated here by 'kmalloc'
	// FIX: Message: '''vfree'' frees kmalloc() memory from ''kmalloc''; use ''kfree'''
	// FIX-NEXT: FilePath: '[[FILE]]'
	// FIX-NEXT: FileOffset: [[#BUF]]{{$}}
	// FIX-NEXT: Replacements:
	// FIX-NEXT: - FilePath: '[[FILE]]'
	// FIX-NEXT: Offset: [[#BUF]]{{$}}
	// FIX-NEXT: Length: 5{{$}}
	// FIX-NEXT: ReplacementText: kfree{{$}}
	// CHECK: {{.*}}families.c:[[@LINE+1]]:2: warning: 'kfree' frees devm_kmalloc() memory from 'devm_kasprintf': the driver core frees it again when the device is unbound; drop the call or use 'devm_kfree' [kernel-alloc-free-mismatch]
	kfree(name);				/* devm_: freed again on unbind */
	// CHECK: {{.*}}families.c:[[@LINE-20]]:15: note: allocated here by 'devm_kasprintf'
	// CHECK: {{.*}}families.c:[[@LINE+1]]:2: warning: 'free_pages' frees order 1 but '__get_free_pages' allocated order 2 [kernel-alloc-free-mismatch]
	free_pages(pages, 1);			/* order 2 */
	// CHECK: {{.*}}families.c:[[@LINE-21]]:24: note: allocated here with order 2
	// CHECK: {{.*}}families.c:[[@LINE+1]]:2: warning: 'free_pages' frees alloc_pages() page from 'alloc_pages'; use '__free_pages' [kernel-alloc-free-mismatch]
	free_pages((unsigned long)pg, 1);	/* a page, not an address */
	// CHECK: {{.*}}families.c:[[@LINE-23]]:20: note: allocated here by 'alloc_pages'
	return 0;
}

/* Correct pairs, including the correlated-branch idiom. */
static void *mm_ok(struct platform_device *pdev, size_t n, bool big)
{
	void *a = kvmalloc(n, GFP_KERNEL);
	void *b = kmalloc(n, GFP_KERNEL);
	void *c = devm_kzalloc(&pdev->dev, n, GFP_KERNEL);
	void *d;
	unsigned long pages = __get_free_pages(GFP_KERNEL, 2);
	struct page *pg = alloc_page(GFP_KERNEL);

	kvfree(a);
	kvfree(b);				/* kvfree takes kmalloc memory too */
	devm_kfree(&pdev->dev, c);
	free_pages(pages, 2);
	__free_page(pg);
	if (big)
		d = vmalloc(n);
	else
		d = kmalloc(n, GFP_KERNEL);
	if (big)
		vfree(d);
	else
		kfree(d);
	return kmalloc(n, GFP_KERNEL);
}

MODULE_LICENSE("GPL");
