#include <linux/module.h>
#include <linux/pci.h>
#include "xres.h"

static int xres_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int err;

	err = pci_enable_device(pdev);
	if (err)
		return err;
	err = pci_request_regions(pdev, "xres");
	if (err)
		goto err_disable;
	err = xres_hw_init(pdev);
	if (err)
		goto err_cleanup;
	return 0;

err_cleanup:
	xres_hw_cleanup(pdev);
	return err;
err_disable:
	pci_disable_device(pdev);
	return err;
}

static void xres_remove(struct pci_dev *pdev)
{
	xres_hw_cleanup(pdev);
}

static int xres_lite_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int err;

	err = pci_request_regions(pdev, "xres-lite");
	if (err)
		return err;
	err = xres_hw_init(pdev);
	if (err) {
		xres_hw_reset(pdev);
		return err;
	}
	return 0;
}

static void xres_lite_remove(struct pci_dev *pdev)
{
	xres_hw_reset(pdev);
}

static const struct pci_device_id xres_ids[] = {
	{ PCI_DEVICE(0x1234, 0x0001) },
	{ }
};
MODULE_DEVICE_TABLE(pci, xres_ids);

static struct pci_driver xres_driver = {
	.name = "xres",
	.id_table = xres_ids,
	.probe = xres_probe,
	.remove = xres_remove,
};

static struct pci_driver xres_lite_driver = {
	.name = "xres-lite",
	.id_table = xres_ids,
	.probe = xres_lite_probe,
	.remove = xres_lite_remove,
};

static int __init xres_init(void)
{
	int err = pci_register_driver(&xres_driver);

	if (err)
		return err;
	err = pci_register_driver(&xres_lite_driver);
	if (err)
		pci_unregister_driver(&xres_driver);
	return err;
}
module_init(xres_init);

static void __exit xres_exit(void)
{
	pci_unregister_driver(&xres_lite_driver);
	pci_unregister_driver(&xres_driver);
}
module_exit(xres_exit);
MODULE_LICENSE("GPL");
