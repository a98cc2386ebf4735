// RUN: %kdlint-kbuild --checks=-*,kernel-highmem-address %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
#include <linux/module.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/highmem.h>
#include <linux/string.h>

static struct page *hm_zero_user_page(void)
{
	struct page *page = alloc_page(GFP_HIGHUSER);

	if (!page)
		return NULL;
	// CHECK: {{.*}}highmem.c:[[@LINE+1]]:9: warning: 'page_address' of a page that may be in highmem, where it has no kernel address; use kmap_local_page() [kernel-highmem-address]
	memset(page_address(page), 0, PAGE_SIZE);	/* may have no address */
	// CHECK: {{.*}}highmem.c:[[@LINE-6]]:22: note: allocated here by 'alloc_page' with GFP_HIGHUSER, which includes __GFP_HIGHMEM
	return page;
}

static void *hm_movable(void)
{
	struct page *p = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);

	// CHECK: {{.*}}highmem.c:[[@LINE+1]]:13: warning: 'page_address' of a page that may be in highmem, where it has no kernel address; use kmap_local_page() [kernel-highmem-address]
	return p ? page_address(p) : NULL;
	// CHECK: {{.*}}highmem.c:[[@LINE-4]]:19: note: allocated here by 'alloc_pages' with GFP_HIGHUSER_MOVABLE, which includes __GFP_HIGHMEM
}

/* Correct: lowmem pages have an address; highmem pages are mapped. */
static struct page *hm_ok(void)
{
	struct page *low = alloc_page(GFP_KERNEL);
	struct page *high = alloc_page(GFP_HIGHUSER);
	void *v;

	if (!low || !high)
		return NULL;
	memset(page_address(low), 0, PAGE_SIZE);
	v = kmap_local_page(high);
	memset(v, 0, PAGE_SIZE);
	kunmap_local(v);
	__free_page(low);
	return high;
}

MODULE_LICENSE("GPL");
