// RUN: %kdlint-kbuild --checks=-*,kernel-iomem-deref %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:" --allow-empty
// A field declared __iomem that every store of the file fills from the memory
// allocators holds system RAM in this driver: drivers/video/fbdev/arcfb.c
// (6.1) sets info->screen_base = (char __iomem *)vzalloc(size) and reads the
// frame buffer back through a __force cast. ram-field-mixed.c: one path maps
// it from the device, and it is reported.
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/fb.h>
#include <linux/vmalloc.h>
#include <linux/io.h>

struct rf_par {
	struct fb_info *info;
};

static void rf_flush(struct rf_par *par, unsigned int linesize)
{
	unsigned char *src;
	unsigned char val = 0;
	int i;

	src = (unsigned char __force *)par->info->screen_base;
	for (i = 0; i < 8; i++)
		val |= *(src + i * linesize);
	iowrite8(val, NULL);
}

static int rf_probe(struct platform_device *dev)
{
	struct fb_info *info;
	unsigned char *videomemory;

	videomemory = vzalloc(4096);
	if (!videomemory)
		return -ENOMEM;
	info = framebuffer_alloc(sizeof(struct rf_par), &dev->dev);
	if (!info) {
		vfree(videomemory);
		return -ENOMEM;
	}
	info->screen_base = (char __iomem *)videomemory;
	((struct rf_par *)info->par)->info = info;
	platform_set_drvdata(dev, info);
	rf_flush(info->par, 8);
	return 0;
}

static struct platform_driver rf_driver = {
	.probe = rf_probe,
	.driver = { .name = "rf" },
};
module_platform_driver(rf_driver);

MODULE_LICENSE("GPL");
