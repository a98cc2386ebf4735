// RUN: %kdlint-kbuild --checks=-*,kernel-ioremap-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// A clocksource driver maps its timer in probe and registers it; a
// clocksource cannot be unregistered, so remove only refuses (6.1's
// drivers/clocksource/sh_cmt.c: return -EBUSY). The mapping is kept for
// good, not leaked. A remove that does return success without unmapping is
// reported.
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/io.h>
#include <linux/version.h>

/* platform_driver.remove returns void from 6.11 on (and cannot refuse). */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 11, 0)
#define RF_REMOVE_RET int
#define RF_REMOVE_OK 0
#else
#define RF_REMOVE_RET void
#define RF_REMOVE_OK
#endif

struct rf_timer {
	void __iomem *mapbase;
};

static int rf_probe(struct platform_device *pdev)
{
	struct rf_timer *t = devm_kzalloc(&pdev->dev, sizeof(*t), GFP_KERNEL);
	struct resource *res = platform_get_resource(pdev, IORESOURCE_MEM, 0);

	if (!t || !res)
		return -ENOMEM;
	t->mapbase = ioremap(res->start, resource_size(res));
	if (!t->mapbase)
		return -ENXIO;
	platform_set_drvdata(pdev, t);
	return 0;
}

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 11, 0)
static int rf_remove(struct platform_device *pdev)
{
	return -EBUSY; /* cannot unregister clockevent and clocksource */
}
#endif

static struct platform_driver rf_driver = {
	.probe = rf_probe,
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 11, 0)
	.remove = rf_remove,
#endif
	.driver = { .name = "rf", .suppress_bind_attrs = true },
};

static int rf2_probe(struct platform_device *pdev)
{
	struct rf_timer *t = devm_kzalloc(&pdev->dev, sizeof(*t), GFP_KERNEL);
	struct resource *res = platform_get_resource(pdev, IORESOURCE_MEM, 0);

	if (!t || !res)
		return -ENOMEM;
	// CHECK: {{.*}}remove-refuses.c:[[@LINE+1]]:2: warning: I/O mapping from 'ioremap' stored in 't->mapbase' by probe is never unmapped by the remove callback 'rf2_remove'; call 'iounmap' there or use a devm_ variant [kernel-ioremap-leak]
	t->mapbase = ioremap(res->start, resource_size(res));
	// CHECK: {{.*}}remove-refuses.c:[[@LINE-1]]:15: note: acquired here by 'ioremap'
	if (!t->mapbase)
		return -ENXIO;
	platform_set_drvdata(pdev, t);
	return 0;
}

static RF_REMOVE_RET rf2_remove(struct platform_device *pdev)
{
	return RF_REMOVE_OK;
}

static struct platform_driver rf2_driver = {
	.probe = rf2_probe,
	// CHECK: {{.*}}remove-refuses.c:[[@LINE+1]]:12: note: 'rf2_remove' is the .remove callback of this platform_driver
	.remove = rf2_remove,
	.driver = { .name = "rf2" },
};

struct platform_driver *rf_drivers[] = { &rf_driver, &rf2_driver };
MODULE_LICENSE("GPL");
