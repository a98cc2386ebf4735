// SPDX-License-Identifier: GPL-2.0
/*
 * leaky_mmio: a small platform driver with the memory and mapping mistakes
 * kdlint's resource checks find (each marked BUG below).
 */
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/io.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/highmem.h>

#define LM_ID		0x00
#define LM_CTRL		0x04
#define LM_RING_SIZE	(64 * 1024)

struct lm_priv {
	void __iomem *regs;
	void *ring;
	struct resource *res;
};

static void __maybe_unused lm_clear_page(struct page *page)
{
	void *va = kmap(page);

	memset(va, 0, PAGE_SIZE);
	kunmap(va);			/* BUG: kunmap() takes the page */
}

static int lm_probe(struct platform_device *pdev)
{
	struct lm_priv *lm;

	lm = devm_kzalloc(&pdev->dev, sizeof(*lm), GFP_KERNEL);
	if (!lm)
		return -ENOMEM;
	lm->res = platform_get_resource(pdev, IORESOURCE_MEM, 0);
	if (!lm->res)
		return -ENODEV;
	/* BUG: a physical address is not a mapping */
	writel(0, (void __iomem *)lm->res->start + LM_CTRL);
	lm->regs = ioremap(lm->res->start, resource_size(lm->res));
	if (!lm->regs)
		return -ENOMEM;
	if (readl(lm->regs + LM_ID) != 0x4c4d)
		return -ENODEV;		/* BUG: lm->regs leaks: remove never runs */
	lm->ring = vmalloc(LM_RING_SIZE);
	if (!lm->ring) {
		iounmap(lm->regs);
		return -ENOMEM;
	}
	platform_set_drvdata(pdev, lm);
	return 0;
}

static void lm_remove(struct platform_device *pdev)
{
	struct lm_priv *lm = platform_get_drvdata(pdev);

	writel(0, lm->regs + LM_CTRL);
	iounmap(lm->regs);
	kfree(lm->ring);		/* BUG: vmalloc memory */
}

static struct platform_driver lm_driver = {
	.probe = lm_probe,
	.remove_new = lm_remove,
	.driver = { .name = "leaky_mmio" },
};
module_platform_driver(lm_driver);

MODULE_DESCRIPTION("kdlint example: memory and mapping mistakes");
MODULE_LICENSE("GPL");
