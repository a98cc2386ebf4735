// RUN: %kdlint-kbuild --checks=-*,kernel-region-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// A loop that searches candidate ports, breaks out holding the one that
// answered, and fails afterwards when the index ran off the end: the break
// happened with i < ARRAY_SIZE(...), so `i == ARRAY_SIZE(...)` is false on
// every path that holds a region. A test the loop condition does not decide
// (i > 2) still leaks.
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/ioport.h>

static const short ite_addr[] = { 0x2a0, 0x2c0, 0x220, 0x240, 0x1e0, 0x200, 0x280 };

static int ite_init(struct pci_dev *dev)
{
	struct resource *iobase = NULL;
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(ite_addr); i++) {
		iobase = request_region(ite_addr[i], 32, "ite887x");
		if (iobase != NULL) {
			pci_write_config_dword(dev, 0x60, ite_addr[i]);
			ret = inb(ite_addr[i]);
			if (ret != 0xff)
				break;	/* ioport connected */
			release_region(iobase->start, 32);
		}
	}

	if (i == ARRAY_SIZE(ite_addr)) {
		pci_err(dev, "could not find iobase\n");
		return -ENODEV;
	}
	pci_write_config_dword(dev, 0x64, iobase->start);
	return 0;
}

static int ite_init_low(struct pci_dev *dev)
{
	struct resource *iobase = NULL;
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(ite_addr); i++) {
		// CHECK: {{.*}}search-loop.c:[[@LINE+1]]:12: warning: I/O port region from 'request_region' is not released on every path (an error path leaks it); call 'release_region' [kernel-region-leak]
		iobase = request_region(ite_addr[i], 32, "ite887x");
		// CHECK: {{.*}}search-loop.c:[[@LINE+1]]:7: note: taking the true branch here
		if (iobase != NULL) {
			ret = inb(ite_addr[i]);
			// CHECK: {{.*}}search-loop.c:[[@LINE+1]]:8: note: taking the true branch here
			if (ret != 0xff)
				break;
			release_region(iobase->start, 32);
		}
	}

	/* Only the first three ports are wired on this board. */
	// CHECK: {{.*}}search-loop.c:[[@LINE+2]]:6: note: taking the true branch here
	// CHECK: {{.*}}search-loop.c:[[@LINE+2]]:3: note: 'ite_init_low' returns here with an error and the I/O port region is still held
	if (i > 2)
		return -ENODEV;
	pci_write_config_dword(dev, 0x64, iobase->start);
	return 0;
}

static const struct pci_device_id ite_ids[] = {
	{ PCI_DEVICE(0x1283, 0x8870) },
	{ }
};

static int ite_probe(struct pci_dev *dev, const struct pci_device_id *id)
{
	return id->driver_data ? ite_init_low(dev) : ite_init(dev);
}

static struct pci_driver ite_driver = {
	.name = "ite887x",
	.id_table = ite_ids,
	.probe = ite_probe,
};
module_pci_driver(ite_driver);
MODULE_LICENSE("GPL");
