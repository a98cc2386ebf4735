// RUN: %kdlint-kbuild --checks=-*,kernel-alloc-free-mismatch %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --allow-unused-prefixes --check-prefixes=CHECK,%if linux-6.1 %{OLD%} %else %{NEW%}
// RUN: %kdlint-kbuild --checks=-*,kernel-alloc-free-mismatch --export-fixes=%t.yaml %s >/dev/null 2>&1; FileCheck %s --check-prefix=FIX < %t.yaml
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
	kfree(p->table);			/* vmalloc memory */
	kfree(p->stats);			/* kvmalloc memory */
	kfree(p->obj);				/* kmem_cache object: fine from 6.4 */
}

static int mm_probe(struct platform_device *pdev)
{
	char *name = devm_kasprintf(&pdev->dev, GFP_KERNEL, "mm-%d", pdev->id);
	void *buf = kmalloc(64, GFP_KERNEL);
	unsigned long pages = __get_free_pages(GFP_KERNEL, 2);
	struct page *pg = alloc_pages(GFP_KERNEL, 1);

	if (!name || !buf || !pages || !pg)
		return -ENOMEM;
	vfree(buf);				/* kmalloc memory */
	kfree(name);				/* devm_: freed again on unbind */
	free_pages(pages, 1);			/* order 2 */
	free_pages((unsigned long)pg, 1);	/* a page, not an address */
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

// CHECK: {{.*}}families.c:33:2: warning: 'kfree' frees vmalloc() memory from 'vmalloc'; use 'vfree' [kernel-alloc-free-mismatch]
// CHECK: {{.*}}families.c:19:13: note: allocated here by 'vmalloc' in 'mm_init'
// CHECK: {{.*}}families.c:19:2: note: stored in 'p->table' here
// CHECK: {{.*}}families.c:34:2: warning: 'kfree' frees kvmalloc() memory from 'kvcalloc'; use 'kvfree' [kernel-alloc-free-mismatch]
// CHECK: {{.*}}families.c:22:13: note: allocated here by 'kvcalloc' in 'mm_init'
// CHECK: {{.*}}families.c:22:2: note: stored in 'p->stats' here
// OLD: {{.*}}families.c:35:2: warning: 'kfree' frees kmem_cache_alloc() object from 'kmem_cache_alloc'; use 'kmem_cache_free' [kernel-alloc-free-mismatch]
// OLD: {{.*}}families.c:27:11: note: allocated here by 'kmem_cache_alloc' in 'mm_init'
// OLD: {{.*}}families.c:27:2: note: stored in 'p->obj' here
// CHECK: {{.*}}families.c:47:2: warning: 'vfree' frees kmalloc() memory from 'kmalloc'; use 'kfree' [kernel-alloc-free-mismatch]
// CHECK: {{.*}}families.c:41:14: note: allocated here by 'kmalloc'
// CHECK: {{.*}}families.c:48:2: warning: 'kfree' frees devm_kmalloc() memory from 'devm_kasprintf': the driver core frees it again when the device is unbound; drop the call or use 'devm_kfree' [kernel-alloc-free-mismatch]
// CHECK: {{.*}}families.c:40:15: note: allocated here by 'devm_kasprintf'
// CHECK: {{.*}}families.c:49:2: warning: 'free_pages' frees order 1 but '__get_free_pages' allocated order 2 [kernel-alloc-free-mismatch]
// CHECK: {{.*}}families.c:42:24: note: allocated here with order 2
// CHECK: {{.*}}families.c:50:2: warning: 'free_pages' frees alloc_pages() page from 'alloc_pages'; use '__free_pages' [kernel-alloc-free-mismatch]
// CHECK: {{.*}}families.c:43:20: note: allocated here by 'alloc_pages'

// The certain fix: kvmalloc memory goes to kvfree().
// FIX: DiagnosticName: kernel-alloc-free-mismatch
// FIX: Message: '''kfree'' frees kvmalloc() memory from ''kvcalloc''; use ''kvfree'''
// FIX: Length: 5
// FIX-NEXT: ReplacementText: kvfree
