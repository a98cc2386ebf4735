// RUN: %kdlint-kbuild --checks=-*,kernel-ioremap-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// A mapping probe keeps in its private data and unmaps on the error path
// through an accessor (drivers/net/ethernet/nvidia/forcedeth.c:
// np->base = ioremap(...), then out_unmap: iounmap(get_hwbase(dev))), and the
// same probe with an error path that skips the unmap.
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/io.h>

struct ac_priv {
	u8 __iomem *base;
	int phy;
};

static inline u8 __iomem *get_hwbase(struct net_device *dev)
{
	return ((struct ac_priv *)netdev_priv(dev))->base;
}

static int ac_probe(struct pci_dev *pci_dev, const struct pci_device_id *id)
{
	struct net_device *dev;
	struct ac_priv *np;
	u8 __iomem *base;
	int err;

	dev = alloc_etherdev(sizeof(struct ac_priv));
	if (!dev)
		return -ENOMEM;
	np = netdev_priv(dev);
	err = pci_enable_device(pci_dev);
	if (err)
		goto out_free;
	err = -ENOMEM;
	np->base = ioremap(pci_resource_start(pci_dev, 0), 0x1000);
	if (!np->base)
		goto out_disable;
	base = get_hwbase(dev);
	if (readl(base + 0x10) == ~0u) {
		err = -ENODEV;
		goto out_unmap;
	}
	err = register_netdev(dev);
	if (err)
		goto out_error;
	pci_set_drvdata(pci_dev, dev);
	return 0;

out_error:
	writel(0, base + 0x20);
out_unmap:
	iounmap(get_hwbase(dev));
out_disable:
	pci_disable_device(pci_dev);
out_free:
	free_netdev(dev);
	return err;
}

static void ac_remove(struct pci_dev *pci_dev)
{
	struct net_device *dev = pci_get_drvdata(pci_dev);

	unregister_netdev(dev);
	iounmap(get_hwbase(dev));
	pci_disable_device(pci_dev);
	free_netdev(dev);
}

static const struct pci_device_id ac_ids[] = {
	{ PCI_DEVICE(0x10de, 0x01c3) },
	{ }
};
MODULE_DEVICE_TABLE(pci, ac_ids);

static struct pci_driver ac_driver = {
	.name = "ac",
	.id_table = ac_ids,
	.probe = ac_probe,
	.remove = ac_remove,
};

/* The error path after the PHY check returns without unmapping. */
static int ad_probe(struct pci_dev *pci_dev, const struct pci_device_id *id)
{
	struct net_device *dev;
	struct ac_priv *np;
	int err;

	dev = alloc_etherdev(sizeof(struct ac_priv));
	if (!dev)
		return -ENOMEM;
	np = netdev_priv(dev);
	// CHECK: {{.*}}accessor.c:[[@LINE+1]]:13: warning: I/O mapping from 'ioremap' is not unmapped when 'ad_probe' fails: probe stored it but remove is never called after a failed probe; call 'iounmap' on the error path or use a devm_ variant [kernel-ioremap-leak]
	np->base = ioremap(pci_resource_start(pci_dev, 0), 0x1000);
	if (!np->base) {
		err = -ENOMEM;
		goto out_free;
	}
	// CHECK: {{.*}}accessor.c:[[@LINE-4]]:6: note: taking the false branch here
	// CHECK: {{.*}}accessor.c:[[@LINE+3]]:6: note: taking the true branch here
	// CHECK: {{.*}}accessor.c:[[@LINE+4]]:3: note: 'ad_probe' returns here with an error and the I/O mapping is still mapped
	np->phy = readl(get_hwbase(dev) + 0x10);
	if (np->phy < 0) {
		free_netdev(dev);
		return -ENODEV;
	}
	err = register_netdev(dev);
	if (err)
		goto out_unmap;
	pci_set_drvdata(pci_dev, dev);
	return 0;

out_unmap:
	iounmap(get_hwbase(dev));
out_free:
	free_netdev(dev);
	return err;
}

static struct pci_driver ad_driver = {
	.name = "ad",
	.id_table = ac_ids,
	.probe = ad_probe,
	.remove = ac_remove,
};

static int __init ac_init(void)
{
	int err = pci_register_driver(&ac_driver);

	if (err)
		return err;
	err = pci_register_driver(&ad_driver);
	if (err)
		pci_unregister_driver(&ac_driver);
	return err;
}
module_init(ac_init);

static void __exit ac_exit(void)
{
	pci_unregister_driver(&ad_driver);
	pci_unregister_driver(&ac_driver);
}
module_exit(ac_exit);
MODULE_LICENSE("GPL");
