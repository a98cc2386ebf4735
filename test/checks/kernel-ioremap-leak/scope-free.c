// REQUIRES: cleanup-guards
// RUN: %kdlint-kbuild --checks=-*,kernel-ioremap-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// Scope-based cleanup (linux/cleanup.h): a variable declared
// __free(name) is released by DEFINE_FREE's expression wherever it goes out
// of scope, on every return (the pattern of
// drivers/platform/x86/intel/pmc/core_ssram.c). no_free_ptr() hands the
// value on and leaves NULL behind.
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/cleanup.h>
#include <linux/io.h>

DEFINE_FREE(sr_iounmap, void __iomem *, if (_T) iounmap(_T))

struct sr_dev {
	void __iomem *regs;
	u32 id;
};

static int sr_read_header(struct sr_dev *sd, phys_addr_t base)
{
	void __iomem __free(sr_iounmap) *hdr = NULL;
	u32 magic;

	hdr = ioremap(base, 0x100);
	if (!hdr)
		return -ENOMEM;
	magic = readl(hdr);
	if (magic != 0x5352)
		return -ENODEV;		/* unmapped by __free */
	sd->id = readl(hdr + 4);
	return 0;
}

/* Mapped for good: no_free_ptr() takes it out of the variable's cleanup. */
static int sr_map_regs(struct sr_dev *sd, phys_addr_t base)
{
	void __iomem __free(sr_iounmap) *regs = ioremap(base, 0x1000);

	if (!regs)
		return -ENOMEM;
	if (readl(regs) == ~0u)
		return -EIO;		/* unmapped by __free */
	sd->regs = no_free_ptr(regs);
	return 0;
}

/* The second mapping has no cleanup: its early return leaks it. */
static int sr_read_two(struct sr_dev *sd, phys_addr_t base, phys_addr_t aux)
{
	void __iomem __free(sr_iounmap) *hdr = ioremap(base, 0x100);
	void __iomem *extra;

	if (!hdr)
		return -ENOMEM;
	// CHECK: {{.*}}scope-free.c:[[@LINE+1]]:10: warning: I/O mapping from 'ioremap' is not unmapped on every path (an error path leaks it); call 'iounmap' [kernel-ioremap-leak]
	extra = ioremap(aux, 0x100);
	if (!extra)
		return -ENOMEM;
	if (readl(extra) != readl(hdr))
		return -EIO;
	// CHECK: {{.*}}scope-free.c:[[@LINE-4]]:6: note: taking the false branch here
	// CHECK: {{.*}}scope-free.c:[[@LINE-3]]:6: note: taking the true branch here
	// CHECK: {{.*}}scope-free.c:[[@LINE-3]]:3: note: 'sr_read_two' returns here with an error and the I/O mapping is still mapped
	sd->id = readl(extra);
	iounmap(extra);
	return 0;
}

static int sr_probe(struct platform_device *pdev)
{
	struct sr_dev *sd = devm_kzalloc(&pdev->dev, sizeof(*sd), GFP_KERNEL);
	struct resource *r = platform_get_resource(pdev, IORESOURCE_MEM, 0);
	int err;

	if (!sd || !r)
		return -ENODEV;
	err = sr_read_header(sd, r->start);
	if (!err)
		err = sr_read_two(sd, r->start, r->start + 0x1000);
	if (err)
		return err;
	err = sr_map_regs(sd, r->start + 0x2000);
	if (err)
		return err;
	platform_set_drvdata(pdev, sd);
	return 0;
}

static void sr_remove(struct platform_device *pdev)
{
	struct sr_dev *sd = platform_get_drvdata(pdev);

	iounmap(sd->regs);
}

static struct platform_driver sr_driver = {
	.probe = sr_probe,
	.remove_new = sr_remove,
	.driver = { .name = "sr" },
};
module_platform_driver(sr_driver);
MODULE_LICENSE("GPL");
