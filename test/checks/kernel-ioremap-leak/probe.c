// RUN: %kdlint-kbuild --checks=-*,kernel-ioremap-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// Platform and PCI probe paths as drivers write them.
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/pci.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/slab.h>

struct lk_priv {
	void __iomem *regs;
	void __iomem *aux;
	int irq;
};

static irqreturn_t lk_irq(int irq, void *data)
{
	return IRQ_HANDLED;
}

static int lk_probe(struct platform_device *pdev)
{
	struct lk_priv *priv;
	struct resource *res;
	void __iomem *aux;
	int ret;

	priv = devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	res = platform_get_resource(pdev, IORESOURCE_MEM, 0);
	if (!res)
		return -ENODEV;
	// CHECK: {{.*}}probe.c:[[@LINE+1]]:15: warning: I/O mapping from 'ioremap' is not unmapped when 'lk_probe' fails: probe stored it but remove is never called after a failed probe; call 'iounmap' on the error path or use a devm_ variant [kernel-ioremap-leak]
	priv->regs = ioremap(res->start, resource_size(res));
	// The shortest path on which it leaks is shown: the first error return.
	// CHECK: {{.*}}probe.c:[[@LINE+3]]:6: note: taking the false branch here
	// CHECK: {{.*}}probe.c:[[@LINE+9]]:6: note: taking the true branch here
	// CHECK: {{.*}}probe.c:[[@LINE+9]]:3: note: 'lk_probe' returns here with an error and the I/O mapping is still mapped
	if (!priv->regs)
		return -ENOMEM;
	// CHECK: {{.*}}probe.c:[[@LINE+1]]:8: warning: I/O mapping from 'ioremap' is not unmapped on every path (an error path leaks it); call 'iounmap' [kernel-ioremap-leak]
	aux = ioremap(res->start + 0x1000, 0x100);
	// CHECK: {{.*}}probe.c:[[@LINE+3]]:6: note: taking the false branch here
	// CHECK: {{.*}}probe.c:[[@LINE+4]]:6: note: taking the true branch here
	// CHECK: {{.*}}probe.c:[[@LINE+4]]:3: note: 'lk_probe' returns here with an error and the I/O mapping is still mapped
	if (!aux)
		return -ENOMEM;			/* priv->regs leaks: remove never runs */
	if (readl(aux) != 0x1234)
		return -ENODEV;			/* aux leaks too */
	iounmap(aux);
	priv->irq = platform_get_irq(pdev, 0);
	ret = request_irq(priv->irq, lk_irq, 0, "lk", priv);
	if (ret) {
		iounmap(priv->regs);
		return ret;
	}
	platform_set_drvdata(pdev, priv);
	return 0;
}

static void lk_remove(struct platform_device *pdev)
{
	struct lk_priv *priv = platform_get_drvdata(pdev);

	free_irq(priv->irq, priv);
	iounmap(priv->regs);
}

static struct platform_driver lk_driver = {
	.probe = lk_probe,
	.remove_new = lk_remove,
	.driver = { .name = "lk" },
};

/* A PCI driver whose remove forgets the BAR mapping probe keeps. */
struct lkp_priv {
	void __iomem *regs;
	void __iomem *aux;
};

static int lkp_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct lkp_priv *priv = kzalloc(sizeof(*priv), GFP_KERNEL);

	if (!priv)
		return -ENOMEM;
	priv->regs = pci_iomap(pdev, 0, 0);
	if (!priv->regs) {
		kfree(priv);
		return -ENOMEM;
	}
	priv->aux = devm_ioremap(&pdev->dev, pci_resource_start(pdev, 2), 0x100);
	if (!priv->aux) {
		pci_iounmap(pdev, priv->regs);
		kfree(priv);
		return -ENOMEM;
	}
	pci_set_drvdata(pdev, priv);
	return 0;
}

static void lkp_remove(struct pci_dev *pdev)
{
	struct lkp_priv *priv = pci_get_drvdata(pdev);

	// CHECK: {{.*}}probe.c:[[@LINE+1]]:2: warning: 'iounmap' on a managed I/O mapping from 'devm_ioremap': the driver core releases it again when the device is unbound; drop the call or use 'devm_iounmap' [kernel-ioremap-leak]
	iounmap(priv->aux);			/* devm_: unmapped again on unbind */
	// CHECK: {{.*}}probe.c:[[@LINE-16]]:14: note: acquired here by 'devm_ioremap' in 'lkp_probe'
	// CHECK: {{.*}}probe.c:[[@LINE-17]]:2: note: stored in 'priv->aux' here
	kfree(priv);
}

static struct pci_driver lkp_driver = {
	.name = "lkp",
	.probe = lkp_probe,
	.remove = lkp_remove,
};

// The check reports the probe/remove pairing last, after the leaks and wrong
// releases of the whole file, so this finding on lkp_probe is checked here:
// CHECK: {{.*}}probe.c:[[@LINE-34]]:2: warning: PCI I/O mapping from 'pci_iomap' stored in 'priv->regs' by probe is never unmapped by the remove callback 'lkp_remove'; call 'pci_iounmap' there or use a devm_ variant [kernel-ioremap-leak]
// CHECK: {{.*}}probe.c:[[@LINE-35]]:15: note: acquired here by 'pci_iomap'
// CHECK: {{.*}}probe.c:[[@LINE-7]]:12: note: 'lkp_remove' is the .remove callback of this pci_driver

/* Correct: devm_, goto unwinding, returned to the caller. */
static int lk_ok_probe(struct platform_device *pdev)
{
	void __iomem *base = devm_platform_ioremap_resource(pdev, 0);
	void __iomem *tmp;
	int ret = 0;

	if (IS_ERR(base))
		return PTR_ERR(base);
	tmp = ioremap(0xfed00000, 0x400);
	if (!tmp)
		return -ENOMEM;
	if (readl(tmp) == 0) {
		ret = -ENODEV;
		goto out_unmap;
	}
	writel(1, base);
out_unmap:
	iounmap(tmp);
	return ret;
}

static void __iomem *lk_map_window(phys_addr_t phys)
{
	void __iomem *w = ioremap(phys, 0x100);

	if (!w)
		return NULL;
	writel(0, w);
	return w;
}

module_platform_driver(lk_driver);
MODULE_LICENSE("GPL");
