// RUN: %kdlint-kbuild --checks=-*,kernel-region-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// The path shown for a leak is the shortest one on which it leaks: the first
// error return after the request. (geode/lxfb_core.c: the helper requests four
// BARs and maps them, and probe's error path releases a BAR only when the
// mapping made after all four requests is set; the last error return is not a
// leak of BAR 0 at all, since probe releases it there.)
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/fb.h>
#include <linux/io.h>

static unsigned int vram;
module_param(vram, uint, 0);

struct wt_par {
	void __iomem *gp_regs;
	void __iomem *dc_regs;
};

static int wt_map_video_memory(struct fb_info *info, struct pci_dev *dev)
{
	struct wt_par *par = info->par;
	int ret;

	ret = pci_enable_device(dev);
	if (ret)
		return ret;
	// CHECK: {{.*}}witness.c:[[@LINE+5]]:8: warning: PCI region from 'pci_request_region' is not released on every path (an error path leaks it); call 'pci_release_region' [kernel-region-leak]
	// CHECK: {{.*}}witness.c:[[@LINE+5]]:6: note: taking the false branch here
	// CHECK: {{.*}}witness.c:[[@LINE+12]]:6: note: taking the true branch here
	// CHECK: {{.*}}witness.c:[[@LINE+12]]:3: note: 'wt_map_video_memory' returns here with an error and the PCI region is still held
	// (No note at the ?: below: it picks a value, the path is the same.)
	ret = pci_request_region(dev, 0, "wt-framebuffer");
	if (ret)
		return ret;
	info->fix.smem_len = vram ? vram : SZ_8M;
	// CHECK: {{.*}}witness.c:[[@LINE+4]]:8: warning: PCI region from 'pci_request_region' is not released on every path (an error path leaks it); call 'pci_release_region' [kernel-region-leak]
	// CHECK: {{.*}}witness.c:[[@LINE+4]]:6: note: taking the false branch here
	// CHECK: {{.*}}witness.c:[[@LINE+8]]:6: note: taking the true branch here
	// CHECK: {{.*}}witness.c:[[@LINE+8]]:3: note: 'wt_map_video_memory' returns here with an error and the PCI region is still held
	ret = pci_request_region(dev, 1, "wt-gp");
	if (ret)
		return ret;

	info->screen_base = ioremap(pci_resource_start(dev, 0), SZ_1M);
	ret = -ENOMEM;
	if (info->screen_base == NULL)
		return ret;
	par->gp_regs = pci_ioremap_bar(dev, 1);
	if (par->gp_regs == NULL)
		return ret;
	par->dc_regs = pci_ioremap_bar(dev, 2);
	if (par->dc_regs == NULL)
		return ret;
	return 0;
}

static int wt_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct fb_info *info;
	struct wt_par *par;
	int ret;

	info = framebuffer_alloc(sizeof(struct wt_par), &pdev->dev);
	if (!info)
		return -ENOMEM;
	par = info->par;
	ret = wt_map_video_memory(info, pdev);
	if (ret < 0)
		goto err;
	pci_set_drvdata(pdev, info);
	return 0;
err:
	if (info->screen_base) {
		iounmap(info->screen_base);
		pci_release_region(pdev, 0);
	}
	if (par->gp_regs) {
		iounmap(par->gp_regs);
		pci_release_region(pdev, 1);
	}
	if (par->dc_regs)
		iounmap(par->dc_regs);
	framebuffer_release(info);
	return ret;
}

static void wt_remove(struct pci_dev *pdev)
{
	struct fb_info *info = pci_get_drvdata(pdev);
	struct wt_par *par = info->par;

	iounmap(par->dc_regs);
	iounmap(par->gp_regs);
	iounmap(info->screen_base);
	pci_release_region(pdev, 0);
	pci_release_region(pdev, 1);
	framebuffer_release(info);
}

static const struct pci_device_id wt_ids[] = {
	{ PCI_DEVICE(0x1022, 0x2081) },
	{ }
};
MODULE_DEVICE_TABLE(pci, wt_ids);

static struct pci_driver wt_driver = {
	.name = "wt",
	.id_table = wt_ids,
	.probe = wt_probe,
	.remove = wt_remove,
};
module_pci_driver(wt_driver);
MODULE_LICENSE("GPL");
