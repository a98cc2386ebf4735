// RUN: %kdlint-kbuild --checks=-*,kernel-ioremap-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// A mapping kept in one field and released through another that a helper
// copied it into (drivers/video/fbdev/sm712fb.c: probe maps sfb->lfb, keeps
// register windows at offsets into it, smtc_map_smem() sets
// info->screen_base = sfb->lfb, and smtc_unmap_smem() unmaps
// info->screen_base on probe's error path and in remove). The chip that maps
// a larger window stores the frame buffer at an offset into it, and the
// unmap helper subtracts it again.
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/fb.h>
#include <linux/io.h>

struct fa_info {
	struct fb_info *fb;
	void __iomem *lfb;
	void __iomem *mmio;
	void __iomem *dp_regs;
	int chip_id;
};

static int fa_map_smem(struct fa_info *sfb, unsigned long len)
{
	sfb->fb->fix.smem_len = len;
	sfb->fb->screen_base = sfb->lfb;
	if (!sfb->fb->screen_base)
		return -ENOMEM;
	return 0;
}

static void fa_unmap_smem(struct fa_info *sfb)
{
	if (sfb && sfb->fb->screen_base) {
		if (sfb->chip_id == 0x720)
			sfb->fb->screen_base -= 0x00200000;
		iounmap(sfb->fb->screen_base);
		sfb->fb->screen_base = NULL;
	}
}

static int fa_probe(struct pci_dev *pdev, const struct pci_device_id *ent)
{
	struct fb_info *info;
	struct fa_info *sfb;
	resource_size_t base;
	int err;

	info = framebuffer_alloc(sizeof(*sfb), &pdev->dev);
	if (!info)
		return -ENOMEM;
	sfb = info->par;
	sfb->fb = info;
	sfb->chip_id = ent->device;
	base = pci_resource_start(pdev, 0);
	switch (sfb->chip_id) {
	case 0x712:
		sfb->lfb = ioremap(base, 0x00800000);
		if (!sfb->lfb) {
			err = -ENOMEM;
			goto failed_fb;
		}
		sfb->mmio = sfb->lfb + 0x00700000;
		break;
	case 0x720:
		sfb->dp_regs = ioremap(base, 0x00200000 + 0x00400000);
		if (!sfb->dp_regs) {
			err = -ENOMEM;
			goto failed_fb;
		}
		sfb->lfb = sfb->dp_regs + 0x00200000;
		sfb->mmio = sfb->dp_regs + 0x000c0000;
		break;
	default:
		err = -ENODEV;
		goto failed_fb;
	}
	err = fa_map_smem(sfb, 0x00400000);
	if (err)
		goto failed;
	err = register_framebuffer(info);
	if (err < 0)
		goto failed;
	pci_set_drvdata(pdev, sfb);
	return 0;

failed:
	fa_unmap_smem(sfb);
failed_fb:
	framebuffer_release(info);
	return err;
}

static void fa_remove(struct pci_dev *pdev)
{
	struct fa_info *sfb = pci_get_drvdata(pdev);

	unregister_framebuffer(sfb->fb);
	fa_unmap_smem(sfb);
	framebuffer_release(sfb->fb);
}

static const struct pci_device_id fa_ids[] = {
	{ PCI_DEVICE(0x126f, 0x712) },
	{ PCI_DEVICE(0x126f, 0x720) },
	{ }
};
MODULE_DEVICE_TABLE(pci, fa_ids);

static struct pci_driver fa_driver = {
	.name = "fa",
	.id_table = fa_ids,
	.probe = fa_probe,
	.remove = fa_remove,
};

/*
 * The look-alike that leaks: the register window is copied into a field
 * nobody unmaps, and the field it was mapped into is never unmapped either.
 */
struct fb_regs {
	void __iomem *base;
	void __iomem *ctrl;
};

static int fb_probe(struct pci_dev *pdev, const struct pci_device_id *ent)
{
	struct fb_regs *r;

	r = devm_kzalloc(&pdev->dev, sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->base = ioremap(pci_resource_start(pdev, 0), 0x1000);
	if (!r->base)
		return -ENOMEM;
	// CHECK: {{.*}}field-alias.c:[[@LINE+3]]:2: warning: I/O mapping from 'ioremap' stored in 'r->ctrl' by probe is never unmapped by the remove callback 'fb_remove'; call 'iounmap' there or use a devm_ variant [kernel-ioremap-leak]
	// CHECK: {{.*}}field-alias.c:[[@LINE-4]]:12: note: acquired here by 'ioremap'
	// CHECK: {{.*}}field-alias.c:[[@LINE+23]]:12: note: 'fb_remove' is the .remove callback of this pci_driver
	r->ctrl = r->base + 0x100;
	pci_set_drvdata(pdev, r);
	return 0;
}

static void fb_remove(struct pci_dev *pdev)
{
	struct fb_regs *r = pci_get_drvdata(pdev);

	writel(0, r->ctrl);
}

static const struct pci_device_id fb_ids[] = {
	{ PCI_DEVICE(0x126f, 0x810) },
	{ }
};
MODULE_DEVICE_TABLE(pci, fb_ids);

static struct pci_driver fb_driver = {
	.name = "fb",
	.id_table = fb_ids,
	.probe = fb_probe,
	.remove = fb_remove,
};

static int __init fa_init(void)
{
	int err = pci_register_driver(&fa_driver);

	if (err)
		return err;
	err = pci_register_driver(&fb_driver);
	if (err)
		pci_unregister_driver(&fa_driver);
	return err;
}
module_init(fa_init);

static void __exit fa_exit(void)
{
	pci_unregister_driver(&fb_driver);
	pci_unregister_driver(&fa_driver);
}
module_exit(fa_exit);
MODULE_LICENSE("GPL");
