// RUN: %kdlint-kbuild --checks=-*,kernel-region-leak,kernel-ioremap-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// A board flag built with |= says which kind of resource probe took; the
// error labels and remove test the same bit to pick the release.
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/ioport.h>
#include <linux/io.h>

#define BOARD_MEMMAP	BIT(0)
#define BOARD_IOMAP	BIT(1)
#define BOARD_64BIT	BIT(2)

struct mega_adapter {
	unsigned long base;	/* the mapping or the first port */
	u8 flag;
};

int mega_init_hw(struct mega_adapter *adapter);

static int mega_probe_one(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct mega_adapter *adapter;
	unsigned long mega_baseport, tbase;
	u8 flag = 0;
	int error = -ENODEV;

	mega_baseport = pci_resource_start(pdev, 0);
	tbase = mega_baseport;
	if (pci_resource_flags(pdev, 0) & IORESOURCE_MEM) {
		flag |= BOARD_MEMMAP;
		if (!request_mem_region(mega_baseport, 128, "megaraid"))
			return -EBUSY;
		mega_baseport = (unsigned long)ioremap(mega_baseport, 128);
		if (!mega_baseport)
			goto out_release_region;
	} else {
		flag |= BOARD_IOMAP;
		mega_baseport += 0x10;
		if (!request_region(mega_baseport, 16, "megaraid"))
			return -EBUSY;
	}
	if (pdev->dma_mask)
		flag |= BOARD_64BIT;	/* another bit: says nothing of MEMMAP */

	adapter = devm_kzalloc(&pdev->dev, sizeof(*adapter), GFP_KERNEL);
	if (!adapter)
		goto out_iounmap;
	adapter->base = mega_baseport;
	adapter->flag = flag;
	error = mega_init_hw(adapter);
	if (error)
		goto out_iounmap;
	pci_set_drvdata(pdev, adapter);
	return 0;

out_iounmap:
	if (flag & BOARD_MEMMAP)
		iounmap((void __iomem *)mega_baseport);
out_release_region:
	if (flag & BOARD_MEMMAP)
		release_mem_region(tbase, 128);
	else
		release_region(mega_baseport, 16);
	return error;
}

static void mega_remove_one(struct pci_dev *pdev)
{
	struct mega_adapter *adapter = pci_get_drvdata(pdev);

	if (adapter->flag & BOARD_MEMMAP) {
		iounmap((void __iomem *)adapter->base);
		release_mem_region(pci_resource_start(pdev, 0), 128);
	} else {
		release_region(adapter->base, 16);
	}
}

/* The bit is cleared before the label tests it: the port path's release
 * is skipped. */
static int mega_probe_two(struct pci_dev *pdev)
{
	unsigned long port = pci_resource_start(pdev, 1);
	u8 flag = BOARD_IOMAP;

	// CHECK: {{.*}}flags.c:[[@LINE+2]]:7: warning: I/O port region from 'request_region' is not released on every path (an error path leaks it); call 'release_region' [kernel-region-leak]
	// CHECK: {{.*}}flags.c:[[@LINE+1]]:6: note: taking the false branch here
	if (!request_region(port, 16, "megaraid"))
		return -EBUSY;
	flag &= ~BOARD_IOMAP;
	// CHECK: {{.*}}flags.c:[[@LINE+1]]:6: note: taking the true branch here
	if (mega_init_hw(NULL))
		goto out;
	return 0;
out:
	// CHECK: {{.*}}flags.c:[[@LINE+1]]:6: note: taking the false branch here
	if (flag & BOARD_IOMAP)
		release_region(port, 16);
	// CHECK: {{.*}}flags.c:[[@LINE+1]]:2: note: 'mega_probe_two' returns here with an error and the I/O port region is still held
	return -EIO;
}

static const struct pci_device_id mega_ids[] = {
	{ PCI_DEVICE(0x101e, 0x9010) },
	{ }
};
MODULE_DEVICE_TABLE(pci, mega_ids);

static struct pci_driver mega_driver = {
	.name = "megaraid",
	.id_table = mega_ids,
	.probe = mega_probe_one,
	.remove = mega_remove_one,
};
module_pci_driver(mega_driver);
MODULE_LICENSE("GPL");
