// RUN: %kdlint-kbuild --checks=-*,kernel-ioremap-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// Mappings released by a teardown callback the framework runs: libata's
// .host_stop (the ata_host_stop() devres action, also after a failed probe)
// and fbdev's .fb_destroy (after unregister_framebuffer()). A field no
// teardown callback releases is still reported.
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/libata.h>
#include <linux/fb.h>
#include <linux/of_address.h>
#include <linux/slab.h>

struct fsl_host_priv {
	void __iomem *hcr_base;
	void __iomem *csr_base;
};

static void fsl_host_stop(struct ata_host *host)
{
	struct fsl_host_priv *host_priv = host->private_data;

	iounmap(host_priv->hcr_base);
	kfree(host_priv);
}

static struct ata_port_operations fsl_ops = {
	.inherits = &sata_pmp_port_ops,
	.host_stop = fsl_host_stop,
};

static const struct ata_port_info fsl_port_info = {
	.flags = ATA_FLAG_SATA,
	.port_ops = &fsl_ops,
};

static const struct scsi_host_template fsl_sht = {
	ATA_NCQ_SHT("fsl"),
};

static irqreturn_t fsl_interrupt(int irq, void *dev_instance)
{
	return IRQ_HANDLED;
}

static int fsl_probe(struct platform_device *ofdev)
{
	const struct ata_port_info *ppi[] = { &fsl_port_info, NULL };
	struct fsl_host_priv *host_priv;
	void __iomem *hcr_base;
	struct ata_host *host;
	int irq, retval;

	hcr_base = of_iomap(ofdev->dev.of_node, 0);
	if (!hcr_base)
		return -ENOMEM;
	host_priv = kzalloc(sizeof(*host_priv), GFP_KERNEL);
	if (!host_priv)
		goto err_unmap;
	host_priv->hcr_base = hcr_base;
	host_priv->csr_base = hcr_base + 0x140;
	irq = platform_get_irq(ofdev, 0);
	if (irq < 0) {
		retval = irq;
		goto err_free;
	}
	host = ata_host_alloc_pinfo(&ofdev->dev, ppi, 1);
	if (!host) {
		retval = -ENOMEM;
		goto err_free;
	}
	host->private_data = host_priv;
	retval = ata_host_activate(host, irq, fsl_interrupt, 0, &fsl_sht);
	if (retval)
		return retval;	/* ata_host_stop() runs fsl_host_stop() */
	retval = device_create_file(host->dev, NULL);
	if (retval)
		goto err_detach;
	return 0;

err_detach:
	ata_host_detach(host);
	return retval;
err_free:
	kfree(host_priv);
err_unmap:
	iounmap(hcr_base);
	return -ENOMEM;
}

static void fsl_remove(struct platform_device *ofdev)
{
	struct ata_host *host = platform_get_drvdata(ofdev);

	ata_host_detach(host);
}

static struct platform_driver fsl_driver = {
	.driver = { .name = "fsl-sata" },
	.probe = fsl_probe,
	.remove_new = fsl_remove,
};

struct sfb_par {
	void __iomem *regs;
	u32 palette[16];
};

static void sfb_destroy(struct fb_info *info)
{
	if (info->screen_base)
		iounmap(info->screen_base);
	framebuffer_release(info);
}

static const struct fb_ops sfb_ops = {
	.owner = THIS_MODULE,
	.fb_destroy = sfb_destroy,
};

static int sfb_probe(struct platform_device *pdev)
{
	struct resource *res = platform_get_resource(pdev, IORESOURCE_MEM, 0);
	struct sfb_par *par;
	struct fb_info *info;
	int ret;

	if (!res)
		return -EINVAL;
	info = framebuffer_alloc(sizeof(struct sfb_par), &pdev->dev);
	if (!info)
		return -ENOMEM;
	platform_set_drvdata(pdev, info);
	par = info->par;
	info->fbops = &sfb_ops;
	info->screen_base = ioremap_wc(res->start, resource_size(res));
	if (!info->screen_base) {
		ret = -ENOMEM;
		goto error_fb_release;
	}
	// CHECK: {{.*}}teardown.c:[[@LINE+1]]:2: warning: I/O mapping from 'ioremap' stored in 'par->regs' by probe is never unmapped by the remove callback 'sfb_remove'; call 'iounmap' there or use a devm_ variant [kernel-ioremap-leak]
	par->regs = ioremap(res->start + 0x1000, 0x100);
	// CHECK: {{.*}}teardown.c:[[@LINE-1]]:14: note: acquired here by 'ioremap'
	if (!par->regs) {
		ret = -ENOMEM;
		goto error_unmap;
	}
	ret = register_framebuffer(info);
	if (ret < 0)
		goto error_unmap_regs;
	return 0;

error_unmap_regs:
	iounmap(par->regs);
error_unmap:
	iounmap(info->screen_base);
error_fb_release:
	framebuffer_release(info);
	return ret;
}

static void sfb_remove(struct platform_device *pdev)
{
	struct fb_info *info = platform_get_drvdata(pdev);

	/* sfb_destroy() takes care of info cleanup */
	unregister_framebuffer(info);
}

static struct platform_driver sfb_driver = {
	.driver = { .name = "sfb" },
	.probe = sfb_probe,
	// CHECK: {{.*}}teardown.c:[[@LINE+1]]:16: note: 'sfb_remove' is the .remove_new callback of this platform_driver
	.remove_new = sfb_remove,
};

static int __init tdn_init(void)
{
	int ret = platform_driver_register(&fsl_driver);

	return ret ? ret : platform_driver_register(&sfb_driver);
}
module_init(tdn_init);
MODULE_LICENSE("GPL");
