// RUN: %kdlint-kbuild --checks=-*,kernel-region-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// A region kept in a file-scope variable that the module's exit function
// releases is the module's, not leaked by probe's error return: the
// pattern of drivers/i2c/busses/i2c-viapro.c, whose probe returns -ENODEV
// on purpose after adding its adapter so that other drivers can bind.
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/ioport.h>
#include <linux/i2c.h>

static struct pci_dev *vp_pdev;
static unsigned short vp_smba;
static unsigned short vp_aux;
static struct i2c_adapter vp_adapter;

static int vp_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int err;

	if (pci_read_config_word(pdev, 0x90, &vp_smba))
		return -ENODEV;
	vp_smba &= 0xfff0;
	if (!request_region(vp_smba, 8, "vp"))
		return -ENODEV;
	// CHECK: {{.*}}module-exit.c:[[@LINE+1]]:7: warning: I/O port region from 'request_region' is not released on every path (an error path leaks it); call 'release_region' [kernel-region-leak]
	if (!request_region(vp_aux, 4, "vp-aux"))
		goto release;
	vp_adapter.dev.parent = &pdev->dev;
	err = i2c_add_adapter(&vp_adapter);
	if (err)
		goto release_aux;
	vp_pdev = pci_dev_get(pdev);
	/* Always return failure here: other drivers may bind this device. */
	return -ENODEV;
	// CHECK: {{.*}}module-exit.c:[[@LINE-9]]:6: note: taking the false branch here
	// CHECK: {{.*}}module-exit.c:[[@LINE-6]]:6: note: taking the false branch here
	// CHECK: {{.*}}module-exit.c:[[@LINE-3]]:2: note: 'vp_probe' returns here with an error and the I/O port region is still held

release_aux:
	release_region(vp_aux, 4);
release:
	release_region(vp_smba, 8);
	return err;
}

static const struct pci_device_id vp_ids[] = { { PCI_DEVICE(0x1106, 0x3057) }, { } };
static struct pci_driver vp_driver = {
	.name = "vp",
	.id_table = vp_ids,
	.probe = vp_probe,
};

static int __init vp_init(void)
{
	return pci_register_driver(&vp_driver);
}

static void __exit vp_exit(void)
{
	pci_unregister_driver(&vp_driver);
	if (vp_pdev) {
		i2c_del_adapter(&vp_adapter);
		release_region(vp_smba, 8);
		pci_dev_put(vp_pdev);
	}
}

module_init(vp_init);
module_exit(vp_exit);
MODULE_LICENSE("GPL");
