// RUN: %kdlint-kbuild --checks=-*,kernel-region-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// Regions released where kdlint must look for them: devres after
// pcim_enable_device(), and handles spelled through the driver's macros.
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/ioport.h>
#include <linux/io.h>

static u16 smb_base;
#define SMB_IO		(smb_base + 0x10)
#define SMB_IOSIZE	8

int smb_attach(struct pci_dev *pdev, int (*add)(void));

static int smb_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret;

	ret = pcim_enable_device(pdev);		/* the device is managed ... */
	if (ret)
		return ret;
	ret = pci_request_regions(pdev, "smb");	/* ... so are its regions */
	if (ret)
		return ret;
	if (!request_region(SMB_IO, SMB_IOSIZE, "smb"))
		return -EBUSY;
	ret = smb_attach(pdev, NULL);
	if (ret < 0) {
		release_region(SMB_IO, SMB_IOSIZE);	/* the same region */
		return ret;
	}
	return 0;
}

static int smb_probe_mem(struct pci_dev *pdev)
{
	// CHECK: {{.*}}elsewhere.c:[[@LINE+1]]:7: warning: I/O memory region from 'request_mem_region' is not released on every path (an error path leaks it); call 'release_mem_region' [kernel-region-leak]
	if (!request_mem_region(pci_resource_start(pdev, 1),
				pci_resource_len(pdev, 1), "smb"))
		return -EBUSY;
	// CHECK: {{.*}}elsewhere.c:[[@LINE-3]]:6: note: taking the false branch here
	// CHECK: {{.*}}elsewhere.c:[[@LINE+2]]:6: note: taking the true branch here
	// CHECK: {{.*}}elsewhere.c:[[@LINE+5]]:3: note: 'smb_probe_mem' returns here with an error and the I/O memory region is still held
	if (!request_mem_region(pci_resource_start(pdev, 2),
				pci_resource_len(pdev, 2), "smb")) {
		release_mem_region(pci_resource_start(pdev, 2),	/* the wrong one */
				   pci_resource_len(pdev, 2));
		return -EBUSY;
	}
	return 0;
}

static const struct pci_device_id smb_ids[] = { { PCI_DEVICE(0x1106, 0x3050) }, { } };
static struct pci_driver smb_driver = {
	.name = "kdlint-smb",
	.id_table = smb_ids,
	.probe = smb_probe,
};
module_pci_driver(smb_driver);
MODULE_LICENSE("GPL");

int smb_probe_both(struct pci_dev *pdev)
{
	return smb_probe_mem(pdev);
}

/* A muxed request is released by release_mem_region(): the same region. */
void pmc_skip_smi_handler(u32 mmio)
{
	void __iomem *addr;

	if (!request_mem_region_muxed(mmio, 1, "pmc_pm80"))
		return;
	addr = ioremap(mmio, 1);
	if (!addr)
		goto cleanup_resource;
	iowrite8(ioread8(addr) & ~BIT(0), addr);
	iounmap(addr);
cleanup_resource:
	release_mem_region(mmio, 1);
}

int pmc_probe_port(u32 mmio)
{
	// CHECK: {{.*}}elsewhere.c:[[@LINE+2]]:7: warning: I/O memory region from 'request_mem_region_muxed' is not released on every path (an error path leaks it); call 'release_mem_region' [kernel-region-leak]
	// CHECK: {{.*}}elsewhere.c:[[@LINE+1]]:6: note: taking the false branch here
	if (!request_mem_region_muxed(mmio, 1, "pmc_pm80"))
		return -EBUSY;
	// CHECK: {{.*}}elsewhere.c:[[@LINE+1]]:6: note: taking the true branch here
	if (mmio & 1)
		// CHECK: {{.*}}elsewhere.c:[[@LINE+1]]:3: note: 'pmc_probe_port' returns here with an error and the I/O memory region is still held
		return -EINVAL;
	release_mem_region(mmio, 1);
	return 0;
}
