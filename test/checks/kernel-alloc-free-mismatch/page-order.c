// RUN: %kdlint-kbuild --checks=-*,kernel-alloc-free-mismatch %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
//
// Pages kept in a driver's structure: probe allocates them with one order,
// remove (or a teardown helper) frees them. free_pages()/__free_pages() must be
// given the order of the allocation (mm/page_alloc.c frees exactly 1 << order
// pages: a smaller order leaks the rest, a larger one frees pages the driver
// never had). The orders are compared across functions through the field.

#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>

#define RING_ORDER	2
#define STATUS_ORDER	0

struct ring_priv {
	unsigned long ring;	/* __get_free_pages(RING_ORDER) */
	unsigned long status;	/* __get_free_page() */
	struct page *rx;	/* alloc_pages(1) */
	unsigned long scratch;	/* __get_free_pages(get_order(len)) */
	unsigned long desc;	/* order 0 or 1, by the device */
	size_t len;
};

static int ring_probe(struct platform_device *pdev)
{
	struct ring_priv *p;

	p = devm_kzalloc(&pdev->dev, sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->len = 3 * PAGE_SIZE + (pdev->id > 0 ? pdev->id : 0);
	// CHECK-DAG: {{.*}}page-order.c:[[@LINE+1]]:12: note: allocated here with order 2 in 'ring_probe'
	p->ring = __get_free_pages(GFP_KERNEL, RING_ORDER);
	// CHECK-DAG: {{.*}}page-order.c:[[@LINE-1]]:2: note: stored in 'p->ring' here
	if (!p->ring)
		return -ENOMEM;
	p->status = __get_free_page(GFP_KERNEL);
	if (!p->status)
		goto err_ring;
	// CHECK-DAG: {{.*}}page-order.c:[[@LINE+1]]:10: note: allocated here with order 1 in 'ring_probe'
	p->rx = alloc_pages(GFP_KERNEL, 1);
	// CHECK-DAG: {{.*}}page-order.c:[[@LINE-1]]:2: note: stored in 'p->rx' here
	if (!p->rx)
		goto err_status;
	p->scratch = __get_free_pages(GFP_KERNEL, get_order(p->len));
	if (!p->scratch)
		goto err_rx;
	if (pdev->id > 0)
		p->desc = __get_free_pages(GFP_KERNEL, 1);
	else
		p->desc = __get_free_pages(GFP_KERNEL, 0);
	if (!p->desc)
		goto err_scratch;
	platform_set_drvdata(pdev, p);
	return 0;

err_scratch:
	free_pages(p->scratch, get_order(p->len));
err_rx:
	__free_pages(p->rx, 1);
err_status:
	free_page(p->status);
err_ring:
	free_pages(p->ring, RING_ORDER);
	return -ENOMEM;
}

static void ring_free_desc(struct ring_priv *p, struct platform_device *pdev)
{
	/* the same test as the allocation: order 1 or 0 */
	free_pages(p->desc, pdev->id > 0 ? 1 : 0);
}

static void ring_remove(struct platform_device *pdev)
{
	struct ring_priv *p = platform_get_drvdata(pdev);

	ring_free_desc(p, pdev);
	free_pages(p->scratch, get_order(p->len));	/* same computation: fine */
	free_pages(p->status, STATUS_ORDER);		/* free_page() is order 0: fine */
	// CHECK-DAG: {{.*}}page-order.c:[[@LINE+1]]:2: warning: '__free_pages' frees order 0 but 'alloc_pages' allocated order 1 [kernel-alloc-free-mismatch]
	__free_pages(p->rx, 0);
	// CHECK-DAG: {{.*}}page-order.c:[[@LINE+1]]:2: warning: 'free_pages' frees order 1 but '__get_free_pages' allocated order 2 [kernel-alloc-free-mismatch]
	free_pages(p->ring, 1);
}

static struct platform_driver ring_driver = {
	.probe = ring_probe,
	.remove_new = ring_remove,
	.driver = { .name = "ring" },
};
module_platform_driver(ring_driver);
MODULE_LICENSE("GPL");
