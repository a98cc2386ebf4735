// RUN: %kdlint-kbuild --checks=-*,kernel-ioremap-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// remove() unmapping through a local copy of the field probe stored the
// mapping in, taken before the private data is freed.
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/etherdevice.h>

struct sc_priv {
	void __iomem *port_base;
	void __iomem *aux_base;
};

static int sc_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct net_device *dev;
	struct sc_priv *priv;
	void __iomem *port_base;
	int err;

	err = pci_enable_device(pdev);
	if (err)
		return err;
	port_base = pci_iomap(pdev, 1, 0);
	if (!port_base) {
		err = -EIO;
		goto out_disable;
	}
	dev = alloc_etherdev(sizeof(*priv));
	if (!dev) {
		err = -ENOMEM;
		goto out_unmap;
	}
	pci_set_drvdata(pdev, dev);
	priv = netdev_priv(dev);
	priv->port_base = port_base;
	// CHECK: {{.*}}remove-copy.c:[[@LINE+1]]:2: warning: PCI I/O mapping from 'pci_iomap' stored in 'priv->aux_base' by probe is never unmapped by the remove callback 'sc_remove'; call 'pci_iounmap' there or use a devm_ variant [kernel-ioremap-leak]
	priv->aux_base = pci_iomap(pdev, 2, 0);
	err = register_netdev(dev);
	if (err)
		goto out_free;
	return 0;

out_free:
	if (priv->aux_base)
		pci_iounmap(pdev, priv->aux_base);
	free_netdev(dev);
out_unmap:
	pci_iounmap(pdev, port_base);
out_disable:
	pci_disable_device(pdev);
	return err;
}

static void sc_remove(struct pci_dev *pdev)
{
	struct net_device *dev = pci_get_drvdata(pdev);
	struct sc_priv *priv = netdev_priv(dev);
	void __iomem *port_base = priv->port_base;

	unregister_netdev(dev);
	free_netdev(dev);		/* priv is gone: use the copy */
	pci_iounmap(pdev, port_base);
	pci_disable_device(pdev);
}
// CHECK: {{.*}}remove-copy.c:[[@LINE-28]]:19: note: acquired here by 'pci_iomap'
// CHECK: {{.*}}remove-copy.c:[[@LINE+12]]:12: note: 'sc_remove' is the .remove callback of this pci_driver

static const struct pci_device_id sc_ids[] = {
	{ PCI_DEVICE(0x1904, 0x2031) },
	{ }
};
MODULE_DEVICE_TABLE(pci, sc_ids);

static struct pci_driver sc_driver = {
	.name = "sc",
	.id_table = sc_ids,
	.probe = sc_probe,
	.remove = sc_remove,
};
module_pci_driver(sc_driver);
MODULE_LICENSE("GPL");
