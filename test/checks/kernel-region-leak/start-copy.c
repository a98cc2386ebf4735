// RUN: %kdlint-kbuild --checks=-*,kernel-region-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// A region requested at a local copy of the BAR's start and released by the
// accessor itself (release_mem_region(pci_resource_start(pdev, 0), ...)):
// the same region under two spellings.
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/fb.h>

static int a128_map(struct fb_info *info);

static int a128_probe(struct pci_dev *pdev, const struct pci_device_id *ent)
{
	unsigned long fb_addr, reg_addr;
	struct fb_info *info;
	int err;

	err = pci_enable_device(pdev);
	if (err)
		return -ENODEV;

	fb_addr = pci_resource_start(pdev, 0);
	if (!request_mem_region(fb_addr, pci_resource_len(pdev, 0), "a128 FB"))
		return -ENODEV;

	reg_addr = pci_resource_start(pdev, 2);
	if (!request_mem_region(reg_addr, pci_resource_len(pdev, 2), "a128 MMIO"))
		goto err_free_fb;

	info = framebuffer_alloc(0, &pdev->dev);
	if (!info)
		goto err_free_mmio;
	if (a128_map(info))
		goto err_free_info;
	pci_set_drvdata(pdev, info);
	return 0;

err_free_info:
	framebuffer_release(info);
err_free_mmio:
	release_mem_region(pci_resource_start(pdev, 2), pci_resource_len(pdev, 2));
err_free_fb:
	release_mem_region(pci_resource_start(pdev, 0), pci_resource_len(pdev, 0));
	return -ENODEV;
}

/* The copy is not the same BAR: pci_resource_start(pdev, 1) is another region. */
static int b128_probe(struct pci_dev *pdev, const struct pci_device_id *ent)
{
	unsigned long fb_addr = pci_resource_start(pdev, 0);
	struct fb_info *info;

	// CHECK: {{.*}}start-copy.c:[[@LINE+1]]:7: warning: I/O memory region from 'request_mem_region' is not released on every path (an error path leaks it); call 'release_mem_region' [kernel-region-leak]
	if (!request_mem_region(fb_addr, pci_resource_len(pdev, 0), "b128 FB"))
		// CHECK: {{.*}}start-copy.c:[[@LINE-1]]:6: note: taking the false branch here
		return -ENODEV;
	info = framebuffer_alloc(0, &pdev->dev);
	// CHECK: {{.*}}start-copy.c:[[@LINE+1]]:6: note: taking the true branch here
	if (!info) {
		release_mem_region(pci_resource_start(pdev, 1), pci_resource_len(pdev, 1));
		// CHECK: {{.*}}start-copy.c:[[@LINE+1]]:3: note: 'b128_probe' returns here with an error and the I/O memory region is still held
		return -ENOMEM;
	}
	pci_set_drvdata(pdev, info);
	return 0;
}

static int a128_map(struct fb_info *info)
{
	return info->screen_base ? 0 : -ENOMEM;
}

static const struct pci_device_id a128_ids[] = {
	{ PCI_DEVICE(0x1002, 0x5046) },
	{ }
};

static struct pci_driver a128_driver = {
	.name = "a128",
	.id_table = a128_ids,
	.probe = a128_probe,
};

static struct pci_driver b128_driver = {
	.name = "b128",
	.id_table = a128_ids,
	.probe = b128_probe,
};

static int __init a128_init(void)
{
	int err = pci_register_driver(&a128_driver);

	return err ? err : pci_register_driver(&b128_driver);
}
module_init(a128_init);
MODULE_LICENSE("GPL");
