// RUN: %kdlint-kbuild --checks=-*,kernel-region-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/ioport.h>
#include <linux/io.h>

#define RG_IOSIZE 8

static int rg_isa_detect(unsigned long io)
{
	// CHECK: {{.*}}regions.c:[[@LINE+1]]:7: warning: I/O port region from 'request_region' is not released on every path (an error path leaks it); call 'release_region' [kernel-region-leak]
	if (!request_region(io, RG_IOSIZE, "rg"))
	// CHECK: {{.*}}regions.c:[[@LINE-1]]:6: note: taking the false branch here
	// CHECK: {{.*}}regions.c:[[@LINE+3]]:6: note: taking the true branch here
	// CHECK: {{.*}}regions.c:[[@LINE+3]]:3: note: 'rg_isa_detect' returns here with an error and the I/O port region is still held
		return -EBUSY;
	if (inb(io + 1) == 0xff)
		return -ENODEV;			/* the region leaks */
	release_region(io, RG_IOSIZE);
	return 0;
}

// The goto ladder's label is shared by two error exits with the regions in
// different states: on the second err is -ENODEV and the regions are held.
// CHECK: {{.*}}regions.c:[[@LINE+11]]:8: warning: PCI regions from 'pci_request_regions' are not released on every path (an error path leaks it); call 'pci_release_regions' [kernel-region-leak]
// CHECK: {{.*}}regions.c:[[@LINE+11]]:6: note: taking the false branch here
// CHECK: {{.*}}regions.c:[[@LINE+12]]:6: note: taking the true branch here
// CHECK: {{.*}}regions.c:[[@LINE+19]]:2: note: 'rg_probe' returns here with an error and the PCI regions are still held
static int rg_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int err;

	err = pci_enable_device(pdev);
	if (err)
		return err;
	err = pci_request_regions(pdev, "rg");
	if (err)
		goto err_disable;
	if (!pci_resource_len(pdev, 0)) {
		err = -ENODEV;
		goto err_disable;		/* skips pci_release_regions() */
	}
	return 0;

err_disable:
	pci_disable_device(pdev);
	return err;
}

static void rg_remove(struct pci_dev *pdev)
{
	pci_disable_device(pdev);		/* regions never released */
}

static struct pci_driver rg_driver = {
	.name = "rg",
	.probe = rg_probe,
	.remove = rg_remove,
};

static int rg_mem(struct platform_device *pdev, struct resource *res)
{
	if (!devm_request_mem_region(&pdev->dev, res->start, resource_size(res), "rg"))
		return -EBUSY;
	if (!request_mem_region(res->start + 0x1000, 0x100, "rg-aux"))
		return -EBUSY;
	// CHECK: {{.*}}regions.c:[[@LINE+1]]:2: warning: 'release_region' does not release an I/O memory region from 'request_mem_region'; use 'release_mem_region' [kernel-region-leak]
	release_region(res->start + 0x1000, 0x100);	/* an I/O memory region */
	// CHECK: {{.*}}regions.c:[[@LINE-4]]:7: note: acquired here by 'request_mem_region'
	// CHECK: {{.*}}regions.c:[[@LINE+1]]:2: warning: 'release_mem_region' on a managed region from 'devm_request_mem_region': the driver core releases it again when the device is unbound; drop the call or use 'devm_release_region' [kernel-region-leak]
	release_mem_region(res->start, resource_size(res)); /* managed */
	// CHECK: {{.*}}regions.c:[[@LINE-9]]:7: note: acquired here by 'devm_request_mem_region'
	return 0;
}

// The check reports the probe/remove pairing last, after the leaks and wrong
// releases of the whole file, so this finding on rg_probe is checked here:
// CHECK: {{.*}}regions.c:[[@LINE-42]]:8: warning: PCI regions requested by probe are never released by the remove callback 'rg_remove'; call 'pci_release_regions' there or use a devm_ variant [kernel-region-leak]
// CHECK: {{.*}}regions.c:[[@LINE-21]]:12: note: 'rg_remove' is the .remove callback of this pci_driver

/* Correct: released on the error path and in remove. */
static int rg_ok_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct resource *r;
	int err;

	err = pci_request_regions(pdev, "rg-ok");
	if (err)
		return err;
	r = request_region(pci_resource_start(pdev, 1), RG_IOSIZE, "rg-ok");
	if (!r) {
		err = -EBUSY;
		goto err_regions;
	}
	if (inb(r->start) == 0xff) {
		release_region(r->start, RG_IOSIZE);
		err = -ENODEV;
		goto err_regions;
	}
	return 0;

err_regions:
	pci_release_regions(pdev);
	return err;
}

static void rg_ok_remove(struct pci_dev *pdev)
{
	release_region(pci_resource_start(pdev, 1), RG_IOSIZE);
	pci_release_regions(pdev);
}

static struct pci_driver rg_ok_driver = {
	.name = "rg-ok",
	.probe = rg_ok_probe,
	.remove = rg_ok_remove,
};

MODULE_LICENSE("GPL");
