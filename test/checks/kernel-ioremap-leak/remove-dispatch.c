// RUN: %kdlint-kbuild --checks=-*,kernel-ioremap-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// Remove unmaps through a chip dispatch table another file defines
// (drivers/scsi/pm8001: pm8001_free() calls PM8001_CHIP_DISP->chip_iounmap(),
// which is pm8001_chip_iounmap() of pm8001_hwi.c): what it releases is not
// known here, and nothing is reported. A remove that calls through nothing
// unknown and never unmaps is still reported.
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/io.h>
#include <linux/slab.h>

struct pd_hba;

struct pd_dispatch {
	int (*chip_init)(struct pd_hba *hba);
	void (*chip_iounmap)(struct pd_hba *hba);
};

/* Defined by the chip files of the driver. */
extern const struct pd_dispatch pd_8001_dispatch;

struct pd_hba {
	void __iomem *bar;
	const struct pd_dispatch *disp;
};

static int pd_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct pd_hba *hba = kzalloc(sizeof(*hba), GFP_KERNEL);

	if (!hba)
		return -ENOMEM;
	hba->disp = &pd_8001_dispatch;
	hba->bar = ioremap(pci_resource_start(pdev, 0), pci_resource_len(pdev, 0));
	if (!hba->bar) {
		kfree(hba);
		return -ENOMEM;
	}
	pci_set_drvdata(pdev, hba);
	return 0;
}

static void pd_remove(struct pci_dev *pdev)
{
	struct pd_hba *hba = pci_get_drvdata(pdev);

	hba->disp->chip_iounmap(hba);
	kfree(hba);
}

static const struct pci_device_id pd_ids[] = {
	{ PCI_DEVICE(0x117c, 0x0042) },
	{ }
};

static struct pci_driver pd_driver = {
	.name = "pd",
	.id_table = pd_ids,
	.probe = pd_probe,
	.remove = pd_remove,
};

/* The same without the dispatch: the mapping is never unmapped. */
static int pd_lite_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct pd_hba *hba = kzalloc(sizeof(*hba), GFP_KERNEL);

	if (!hba)
		return -ENOMEM;
	// CHECK: {{.*}}remove-dispatch.c:[[@LINE+1]]:2: warning: I/O mapping from 'ioremap' stored in 'hba->bar' by probe is never unmapped by the remove callback 'pd_lite_remove'; call 'iounmap' there or use a devm_ variant [kernel-ioremap-leak]
	hba->bar = ioremap(pci_resource_start(pdev, 0), pci_resource_len(pdev, 0));
	// CHECK: {{.*}}remove-dispatch.c:[[@LINE-1]]:13: note: acquired here by 'ioremap'
	if (!hba->bar) {
		kfree(hba);
		return -ENOMEM;
	}
	pci_set_drvdata(pdev, hba);
	return 0;
}

static void pd_lite_remove(struct pci_dev *pdev)
{
	kfree(pci_get_drvdata(pdev));
}

static struct pci_driver pd_lite_driver = {
	.name = "pd-lite",
	.id_table = pd_ids,
	.probe = pd_lite_probe,
	.remove = pd_lite_remove,
	// CHECK: {{.*}}remove-dispatch.c:[[@LINE-1]]:12: note: 'pd_lite_remove' is the .remove callback of this pci_driver
};

static int __init pd_init(void)
{
	int err = pci_register_driver(&pd_driver);

	if (err)
		return err;
	err = pci_register_driver(&pd_lite_driver);
	if (err)
		pci_unregister_driver(&pd_driver);
	return err;
}
module_init(pd_init);

static void __exit pd_exit(void)
{
	pci_unregister_driver(&pd_lite_driver);
	pci_unregister_driver(&pd_driver);
}
module_exit(pd_exit);
MODULE_LICENSE("GPL");
