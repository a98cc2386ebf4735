// RUN: %kdlint-kbuild --checks=-*,kernel-ioremap-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// A mapping made when either of two descriptor fields is set, handed on to
// whichever registration each field selects: every path that mapped passes
// it on. The paths are told apart by the conditions they took.
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/of_address.h>
#include <linux/io.h>
#include <linux/pm_runtime.h>

struct clk_desc {
	const void *composite_clks;
	const void *divider_clks;
	const void *gate_clks;
	bool shared_io;
	bool need_runtime_pm;
};

int clk_register_composites(const void *clks, void __iomem *base);
int clk_register_dividers(const void *clks, void __iomem *base);
int clk_register_gates(const void *clks);

static int clk_simple_probe(struct platform_device *pdev,
			    const struct clk_desc *mcd)
{
	void __iomem *base = NULL;
	int r;

	if (mcd->composite_clks || mcd->divider_clks) {
		if (!mcd->shared_io)
			base = devm_platform_ioremap_resource(pdev, 0);
		else
			base = of_iomap(pdev->dev.of_node, 0);
		if (IS_ERR_OR_NULL(base))
			return IS_ERR(base) ? PTR_ERR(base) : -ENOMEM;
	}
	if (mcd->need_runtime_pm) {
		r = devm_pm_runtime_enable(&pdev->dev);
		if (r)
			goto unmap_io;
	}
	if (mcd->composite_clks) {
		r = clk_register_composites(mcd->composite_clks, base);
		if (r)
			goto unmap_io;
	}
	if (mcd->divider_clks) {
		r = clk_register_dividers(mcd->divider_clks, base);
		if (r)
			goto unmap_io;
	}
	return 0;

unmap_io:
	if (mcd->shared_io && base)
		iounmap(base);
	return r;
}

/* The divider-only path maps and never hands the mapping on. */
static int clk_simple_probe_gates(struct platform_device *pdev,
				  const struct clk_desc *mcd)
{
	void __iomem *base = NULL;
	int r;

	if (mcd->composite_clks || mcd->divider_clks) {
		// CHECK: {{.*}}correlated.c:[[@LINE+1]]:10: warning: I/O mapping from 'of_iomap' is not unmapped on every path; call 'iounmap' [kernel-ioremap-leak]
		base = of_iomap(pdev->dev.of_node, 0);
		// CHECK: {{.*}}correlated.c:[[@LINE+1]]:7: note: taking the false branch here
		if (!base)
			return -ENOMEM;
	}
	// CHECK: {{.*}}correlated.c:[[@LINE+1]]:6: note: taking the false branch here
	if (mcd->composite_clks) {
		r = clk_register_composites(mcd->composite_clks, base);
		if (r)
			goto unmap_io;
	}
	// CHECK: {{.*}}correlated.c:[[@LINE+1]]:6: note: taking the true branch here
	if (mcd->gate_clks) {
		r = clk_register_gates(mcd->gate_clks);
		// CHECK: {{.*}}correlated.c:[[@LINE+1]]:7: note: taking the false branch here
		if (r)
			goto unmap_io;
	}
	// CHECK: {{.*}}correlated.c:[[@LINE+1]]:2: note: 'clk_simple_probe_gates' returns here and the I/O mapping is still mapped
	return 0;

unmap_io:
	iounmap(base);
	return r;
}

static int clk_probe(struct platform_device *pdev)
{
	const struct clk_desc *mcd = of_device_get_match_data(&pdev->dev);

	return clk_simple_probe(pdev, mcd) ?: clk_simple_probe_gates(pdev, mcd);
}

static struct platform_driver clk_drv = {
	.probe = clk_probe,
	.driver = { .name = "clk-simple" },
};
module_platform_driver(clk_drv);
MODULE_LICENSE("GPL");
