// RUN: %kdlint-kbuild --checks=-*,kernel-ioremap-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// A regmap made over a mapping keeps it (drivers/base/regmap/regmap-mmio.c:
// ctx->regs = regs): drivers/mfd/syscon.c's of_syscon_register() maps,
// creates the regmap and keeps both on success; only its error paths unmap.
// A mapping only read before the regmap is made over another one still leaks.
#include <linux/module.h>
#include <linux/io.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/regmap.h>
#include <linux/slab.h>
#include <linux/err.h>

struct sy_con {
	struct regmap *regmap;
	struct device_node *np;
};

static const struct regmap_config sy_config = {
	.reg_bits = 32,
	.val_bits = 32,
	.reg_stride = 4,
};

struct sy_con *sy_register(struct device_node *np);
struct sy_con *sy_register(struct device_node *np)
{
	struct sy_con *sy;
	struct regmap *regmap;
	void __iomem *base;
	int ret;

	sy = kzalloc(sizeof(*sy), GFP_KERNEL);
	if (!sy)
		return ERR_PTR(-ENOMEM);
	base = of_iomap(np, 0);
	if (!base) {
		ret = -ENOMEM;
		goto err_free;
	}
	regmap = regmap_init_mmio(NULL, base, &sy_config);
	if (IS_ERR(regmap)) {
		ret = PTR_ERR(regmap);
		goto err_unmap;
	}
	sy->regmap = regmap;
	sy->np = np;
	return sy;

err_unmap:
	iounmap(base);
err_free:
	kfree(sy);
	return ERR_PTR(ret);
}

/* The ID register is read through a mapping nothing keeps or unmaps. */
struct regmap *sy_register_probe_id(struct device_node *np, void __iomem *regs, u32 *id);
struct regmap *sy_register_probe_id(struct device_node *np, void __iomem *regs, u32 *id)
{
	// CHECK: {{.*}}regmap-keeps.c:[[@LINE+1]]:24: warning: I/O mapping from 'of_iomap' is not unmapped on every path; call 'iounmap' [kernel-ioremap-leak]
	void __iomem *idreg = of_iomap(np, 1);

	// CHECK: {{.*}}regmap-keeps.c:[[@LINE+1]]:6: note: taking the false branch here
	if (!idreg)
		return ERR_PTR(-ENOMEM);
	*id = readl(idreg);
	return regmap_init_mmio(NULL, regs, &sy_config);
	// CHECK: {{.*}}regmap-keeps.c:[[@LINE-1]]:2: note: 'sy_register_probe_id' returns here and the I/O mapping is still mapped
}
MODULE_LICENSE("GPL");
