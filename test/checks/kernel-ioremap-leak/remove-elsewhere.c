// RUN: %kdlint-kbuild --checks=-*,kernel-ioremap-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// What probe keeps and remove hands to another file, or releases with the
// wrong function (one finding: the wrong function, not a second "never
// unmapped").
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

struct ddb_link {
	void __iomem *aux;
};

struct ddb {
	struct pci_dev *pdev;
	void __iomem *regs;
	void __iomem *bar;
	struct ddb_link link;
};

void ddb_unmap(struct ddb *dev);		/* ddb-core.c: iounmap(dev->regs) */
void ddb_board_off(struct pci_dev *pdev);	/* ddb-core.c */

static int ddb_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct ddb *dev;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	dev->pdev = pdev;
	dev->regs = ioremap(pci_resource_start(pdev, 0), pci_resource_len(pdev, 0));
	if (!dev->regs)
		goto fail;
	dev->bar = ioport_map(pci_resource_start(pdev, 1), 8);
	if (!dev->bar)
		goto fail_regs;
	/* Another structure's field: ddb_unmap() is not given a ddb_link. */
	dev->link.aux = ioremap(pci_resource_start(pdev, 2), 64);
	if (!dev->link.aux)
		goto fail_bar;
	pci_set_drvdata(pdev, dev);
	return 0;

fail_bar:
	ioport_unmap(dev->bar);
fail_regs:
	iounmap(dev->regs);
fail:
	kfree(dev);
	return -ENOMEM;
}

static void ddb_remove(struct pci_dev *pdev)
{
	struct ddb *dev = pci_get_drvdata(pdev);

	ddb_board_off(pdev);		/* not given the structure */
	iounmap(dev->bar);
	ddb_unmap(dev);			/* unmaps dev->regs in another file */
}

static struct pci_driver ddb_driver = {
	.name = "ddb",
	.probe = ddb_probe,
	.remove = ddb_remove,
};
module_pci_driver(ddb_driver);

MODULE_LICENSE("GPL");

// Findings in the order kdlint prints them (remove's wrong release first).
// CHECK: {{.*}}remove-elsewhere.c:[[@LINE-14]]:2: warning: 'iounmap' does not release an I/O port mapping from 'ioport_map'; use 'ioport_unmap' [kernel-ioremap-leak]
// CHECK: {{.*}}remove-elsewhere.c:[[@LINE-39]]:13: note: acquired here by 'ioport_map' in 'ddb_probe'
// CHECK: {{.*}}remove-elsewhere.c:[[@LINE-40]]:2: note: stored in 'dev->bar' here
// CHECK: {{.*}}remove-elsewhere.c:[[@LINE-37]]:2: warning: I/O mapping from 'ioremap' stored in 'dev->link.aux' by probe is never unmapped by the remove callback 'ddb_remove'; call 'iounmap' there or use a devm_ variant [kernel-ioremap-leak]
// CHECK: {{.*}}remove-elsewhere.c:[[@LINE-38]]:18: note: acquired here by 'ioremap'
// CHECK: {{.*}}remove-elsewhere.c:[[@LINE-12]]:12: note: 'ddb_remove' is the .remove callback of this pci_driver
