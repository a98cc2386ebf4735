// RUN: %kdlint-kbuild --checks=-*,kernel-region-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// A setup helper that requests the port region at a base address read from
// the device and returns that base to its caller (drivers/i2c/busses/
// i2c-piix4.c): the positive return is the success path handing the region
// on, not an error that leaks it. Returning a nonzero error code with the
// region held is still a leak.
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/ioport.h>

#define AUX_SIZE	8

static int aux_setup(struct pci_dev *pdev, int base_reg)
{
	unsigned short smba;

	pci_read_config_word(pdev, base_reg, &smba);
	if ((smba & 1) == 0)
		return -ENODEV;
	smba &= 0xfff0;
	if (smba == 0)
		return -ENODEV;
	if (!request_region(smba, AUX_SIZE, "aux"))
		return -EBUSY;
	return smba;				/* the base: success */
}

static int aux_setup_checked(struct pci_dev *pdev, int base_reg)
{
	unsigned short smba;
	int err;

	pci_read_config_word(pdev, base_reg, &smba);
	smba &= 0xfff0;
	if (smba == 0)
		return -ENODEV;
	// CHECK: {{.*}}returns-base.c:[[@LINE+1]]:7: warning: I/O port region from 'request_region' is not released on every path (an error path leaks it); call 'release_region' [kernel-region-leak]
	if (!request_region(smba, AUX_SIZE, "aux"))
		return -EBUSY;
	// CHECK: {{.*}}returns-base.c:[[@LINE-2]]:6: note: taking the false branch here
	err = pci_enable_device(pdev);
	// CHECK: {{.*}}returns-base.c:[[@LINE+2]]:6: note: taking the true branch here
	// CHECK: {{.*}}returns-base.c:[[@LINE+2]]:3: note: 'aux_setup_checked' returns here with an error and the I/O port region is still held
	if (err)
		return err;			/* the region leaks */
	return smba;
}

static int aux_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int base = aux_setup(pdev, 0x58);

	if (base < 0)
		return base;
	base = aux_setup_checked(pdev, 0x5c);
	if (base < 0) {
		release_region(0, AUX_SIZE);
		return base;
	}
	return 0;
}

static const struct pci_device_id aux_ids[] = { { PCI_DEVICE(0x1022, 0x780b) }, { } };
static struct pci_driver aux_driver = {
	.name = "aux",
	.id_table = aux_ids,
	.probe = aux_probe,
};
module_pci_driver(aux_driver);
MODULE_LICENSE("GPL");
