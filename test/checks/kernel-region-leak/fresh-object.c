// RUN: %kdlint-kbuild --checks=-*,kernel-region-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// What request_mem_region() returns is a new struct resource: it equals no
// pointer the driver had before (if (mem != res) release_mem_region(...)
// releases it whenever it was requested). Released by .fb_destroy, which
// unregister_framebuffer() runs: remove need not release it itself.
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/fb.h>

struct sfb_par {
	struct resource *mem;
	u32 palette[16];
};

static void sfb_destroy(struct fb_info *info)
{
	struct sfb_par *par = info->par;
	struct resource *mem = par->mem;

	if (info->screen_base)
		iounmap(info->screen_base);
	framebuffer_release(info);
	if (mem)
		release_mem_region(mem->start, resource_size(mem));
}

static const struct fb_ops sfb_ops = {
	.owner = THIS_MODULE,
	.fb_destroy = sfb_destroy,
};

static int sfb_probe(struct platform_device *pdev)
{
	struct resource *res, *mem;
	struct sfb_par *par;
	struct fb_info *info;
	int ret;

	res = platform_get_resource(pdev, IORESOURCE_MEM, 0);
	if (!res)
		return -EINVAL;
	mem = request_mem_region(res->start, resource_size(res), "sfb");
	if (!mem) {
		dev_warn(&pdev->dev, "cannot reserve video memory at %pR\n", res);
		mem = res;
	}
	info = framebuffer_alloc(sizeof(struct sfb_par), &pdev->dev);
	if (!info) {
		ret = -ENOMEM;
		goto error_release_mem_region;
	}
	platform_set_drvdata(pdev, info);
	par = info->par;
	info->fbops = &sfb_ops;
	info->screen_base = ioremap_wc(mem->start, resource_size(mem));
	if (!info->screen_base) {
		ret = -ENOMEM;
		goto error_fb_release;
	}
	if (mem != res)
		par->mem = mem; /* released in sfb_destroy() */
	ret = register_framebuffer(info);
	if (ret < 0)
		goto error_unmap;
	return 0;

error_unmap:
	iounmap(info->screen_base);
error_fb_release:
	framebuffer_release(info);
error_release_mem_region:
	if (mem != res)
		release_mem_region(mem->start, resource_size(mem));
	return ret;
}

static void sfb_remove(struct platform_device *pdev)
{
	struct fb_info *info = platform_get_drvdata(pdev);

	unregister_framebuffer(info);
}

static struct platform_driver sfb_driver = {
	.driver = { .name = "sfb" },
	.probe = sfb_probe,
	.remove_new = sfb_remove,
};

/* Compared with a copy of itself: the comparison says nothing. */
static int sfb_early(void)
{
	struct resource *mem, *same;

	// CHECK: {{.*}}fresh-object.c:[[@LINE+1]]:8: warning: I/O memory region from 'request_mem_region' is not released on every path (an error path leaks it); call 'release_mem_region' [kernel-region-leak]
	mem = request_mem_region(0xfd000000, 0x1000, "sfb-early");
	// CHECK: {{.*}}fresh-object.c:[[@LINE+1]]:6: note: taking the false branch here
	if (!mem)
		return -EBUSY;
	same = mem;
	// CHECK: {{.*}}fresh-object.c:[[@LINE+1]]:6: note: taking the true branch here
	if (mem == same)
		// CHECK: {{.*}}fresh-object.c:[[@LINE+1]]:3: note: 'sfb_early' returns here with an error and the I/O memory region is still held
		return -EINVAL;
	release_mem_region(mem->start, resource_size(mem));
	return 0;
}

static int __init sfb_init(void)
{
	return sfb_early() ?: platform_driver_register(&sfb_driver);
}
module_init(sfb_init);
MODULE_LICENSE("GPL");
