// RUN: %kdlint-kbuild --checks=-*,kernel-region-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// The device a region was requested for, released through the copy the
// driver keeps in its own structure (made before or after the request).
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

struct accel_pci {
	struct pci_dev *pci_dev;
	void __iomem *bar;
};

struct accel_dev {
	struct accel_pci accel_pci_dev;
};

int accel_dev_up(struct accel_dev *accel_dev);

static int accel_probe(struct pci_dev *pdev, const struct pci_device_id *ent)
{
	struct accel_dev *accel_dev;
	struct accel_pci *accel_pci_dev;
	int ret;

	accel_dev = kzalloc(sizeof(*accel_dev), GFP_KERNEL);
	if (!accel_dev)
		return -ENOMEM;
	accel_pci_dev = &accel_dev->accel_pci_dev;
	accel_pci_dev->pci_dev = pdev;

	ret = pci_enable_device(pdev);
	if (ret)
		goto out_free;
	if (pci_request_regions(pdev, "accel")) {
		ret = -EFAULT;
		goto out_disable;
	}
	accel_pci_dev->bar = pci_iomap(accel_pci_dev->pci_dev, 0, 0);
	if (!accel_pci_dev->bar) {
		ret = -EFAULT;
		goto out_release;
	}
	ret = accel_dev_up(accel_dev);
	if (ret)
		goto out_unmap;
	pci_set_drvdata(pdev, accel_dev);
	return 0;

out_unmap:
	pci_iounmap(pdev, accel_pci_dev->bar);
out_release:
	pci_release_regions(accel_pci_dev->pci_dev);	/* == pdev */
out_disable:
	pci_disable_device(accel_pci_dev->pci_dev);
out_free:
	kfree(accel_dev);
	return ret;
}

/* The copy is overwritten before the release: it names another device. */
static int accel_probe_other(struct pci_dev *pdev, struct pci_dev *peer)
{
	struct accel_pci p;
	int ret;

	p.pci_dev = pdev;
	// CHECK: {{.*}}aliases.c:[[@LINE+1]]:8: warning: PCI regions from 'pci_request_regions' are not released on every path (an error path leaks it); call 'pci_release_regions' [kernel-region-leak]
	ret = pci_request_regions(pdev, "accel");
	// CHECK: {{.*}}aliases.c:[[@LINE+1]]:6: note: taking the false branch here
	if (ret)
		return ret;
	p.pci_dev = peer;
	ret = accel_dev_up(NULL);
	// CHECK: {{.*}}aliases.c:[[@LINE+1]]:6: note: taking the true branch here
	if (ret) {
		pci_release_regions(p.pci_dev);
		// CHECK: {{.*}}aliases.c:[[@LINE+1]]:3: note: 'accel_probe_other' returns here with an error and the PCI regions are still held
		return ret;
	}
	return 0;
}

static void accel_remove(struct pci_dev *pdev)
{
	struct accel_dev *accel_dev = pci_get_drvdata(pdev);

	pci_iounmap(pdev, accel_dev->accel_pci_dev.bar);
	pci_release_regions(pdev);
	pci_disable_device(pdev);
	kfree(accel_dev);
}

static const struct pci_device_id accel_ids[] = {
	{ PCI_DEVICE(0x8086, 0x0435) },
	{ }
};
MODULE_DEVICE_TABLE(pci, accel_ids);

static struct pci_driver accel_driver = {
	.name = "accel",
	.id_table = accel_ids,
	.probe = accel_probe,
	.remove = accel_remove,
};
module_pci_driver(accel_driver);
MODULE_LICENSE("GPL");
