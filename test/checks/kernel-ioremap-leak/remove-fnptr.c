// RUN: %kdlint-kbuild --checks=-*,kernel-ioremap-leak,kernel-region-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// Remove releases through a function pointer the driver stored in its own
// structure (drivers/video/fbdev/cirrusfb.c: cinfo->unmap =
// cirrusfb_pci_unmap in probe, cinfo->unmap(info) in the shared cleanup):
// what the stored function releases is released by remove.
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/io.h>
#include <linux/slab.h>

struct cf_info {
	void __iomem *screen;
	void __iomem *mmio;
	void __iomem *aux;
	void (*unmap)(struct cf_info *info);
	struct pci_dev *pdev;
};

static void cf_pci_unmap(struct cf_info *info)
{
	iounmap(info->screen);
	pci_release_regions(info->pdev);
}

static void cf_cleanup(struct cf_info *info)
{
	info->unmap(info);
	kfree(info);
}

static int cf_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct cf_info *info = kzalloc(sizeof(*info), GFP_KERNEL);
	int err;

	if (!info)
		return -ENOMEM;
	info->pdev = pdev;
	err = pci_enable_device(pdev);
	if (err)
		goto err_free;
	err = pci_request_regions(pdev, "cf");
	if (err)
		goto err_free;
	info->screen = ioremap(pci_resource_start(pdev, 0), 0x100000);
	if (!info->screen) {
		err = -ENOMEM;
		goto err_release;
	}
	// CHECK: {{.*}}remove-fnptr.c:[[@LINE+1]]:2: warning: I/O mapping from 'ioremap' stored in 'info->aux' by probe is never unmapped by the remove callback 'cf_remove'; call 'iounmap' there or use a devm_ variant [kernel-ioremap-leak]
	info->aux = ioremap(pci_resource_start(pdev, 2), 0x1000);
	// CHECK: {{.*}}remove-fnptr.c:[[@LINE-1]]:14: note: acquired here by 'ioremap'
	if (!info->aux) {
		err = -ENOMEM;
		goto err_unmap;
	}
	info->unmap = cf_pci_unmap;
	pci_set_drvdata(pdev, info);
	return 0;

err_unmap:
	iounmap(info->screen);
err_release:
	pci_release_regions(pdev);
err_free:
	kfree(info);
	return err;
}

static void cf_remove(struct pci_dev *pdev)
{
	cf_cleanup(pci_get_drvdata(pdev));
}

static const struct pci_device_id cf_ids[] = { { PCI_DEVICE(0x1013, 0x00b8) }, { } };
static struct pci_driver cf_driver = {
	.name = "cf",
	.id_table = cf_ids,
	.probe = cf_probe,
	.remove = cf_remove,
	// CHECK: {{.*}}remove-fnptr.c:[[@LINE-1]]:12: note: 'cf_remove' is the .remove callback of this pci_driver
};
module_pci_driver(cf_driver);
MODULE_LICENSE("GPL");
