// RUN: %kdlint-kbuild --checks=-*,kernel-iomem-deref %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// A register block kept in a field declared without __iomem (sparse's
// "different address spaces" at the store, easy to ignore) is still I/O
// memory when every store of the file fills it from a mapping: touching it
// through '->' in another function is the bug. A field that also holds
// allocator memory somewhere is not known to be I/O memory; the address of a
// register handed to writel() is not an access; a write-combined mapping is
// left to kernel-iomem-deref-ram.
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/io.h>

struct uf_regs {
	u32 ctrl;
	u32 status;
};

struct uf_priv {
	struct uf_regs *regs;	/* mapped below, no __iomem */
	struct uf_regs *shadow;	/* mapped, or a RAM copy */
	u32 *fb;		/* write-combined */
};

static void uf_start(struct uf_priv *p)
{
	writel(1, &p->regs->ctrl);		/* an address: fine */
// CHECK: {{.*}}unannotated-field.c:[[@LINE+2]]:11: warning: I/O memory 'p->regs' accessed through '->status' directly; use readl()/writel() or ioread32()/iowrite32() [kernel-iomem-deref]
// CHECK: {{.*}}unannotated-field.c:[[@LINE+21]]:2: note: 'regs' is declared without __iomem, and every store of this file fills it with I/O memory: mapped by 'devm_platform_ioremap_resource' and stored here
	while (!(p->regs->status & 1))
		cpu_relax();
	p->shadow->ctrl = 1;			/* may be RAM: not reported */
	p->fb[0] = 0;				/* write-combined: not here */
}

static void uf_stop(struct uf_priv *p)
{
// CHECK: {{.*}}unannotated-field.c:[[@LINE+2]]:2: warning: I/O memory 'p->regs' accessed through '->ctrl' directly; use readl()/writel() or ioread32()/iowrite32() [kernel-iomem-deref]
// CHECK: {{.*}}unannotated-field.c:[[@LINE+11]]:2: note: 'regs' is declared without __iomem, and every store of this file fills it with I/O memory: mapped by 'devm_platform_ioremap_resource' and stored here
	p->regs->ctrl = 0;
	p->regs = NULL;
}

static int uf_probe(struct platform_device *pdev)
{
	struct uf_priv *p = devm_kzalloc(&pdev->dev, sizeof(*p), GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	p->regs = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(p->regs))
		return PTR_ERR(p->regs);
	if (pdev->id)
		p->shadow = devm_platform_ioremap_resource(pdev, 1);
	else
		p->shadow = devm_kzalloc(&pdev->dev, sizeof(*p->shadow), GFP_KERNEL);
	if (IS_ERR_OR_NULL(p->shadow))
		return -ENOMEM;
	p->fb = devm_ioremap_wc(&pdev->dev, 0xd0000000, 4096);
	if (!p->fb)
		return -ENOMEM;
	platform_set_drvdata(pdev, p);
	uf_start(p);
	return 0;
}

static void uf_remove(struct platform_device *pdev)
{
	uf_stop(platform_get_drvdata(pdev));
}

static struct platform_driver uf_driver = {
	.probe = uf_probe,
	.remove_new = uf_remove,
	.driver = { .name = "uf" },
};
module_platform_driver(uf_driver);
MODULE_LICENSE("GPL");
