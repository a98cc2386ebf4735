// RUN: %kdlint-kbuild --checks=-*,kernel-iomem-deref %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// The look-alike of ram-field.c: the frame buffer is on the card (ioremap)
// or in RAM (vzalloc), so the __iomem field is I/O memory on some devices,
// and reading it through a __force cast is reported.
#include <linux/module.h>
#include <linux/fb.h>
#include <linux/vmalloc.h>
#include <linux/io.h>

/* A device whose frame buffer is either on the card or in RAM. */
struct rg_par {
	struct fb_info info;
	bool on_card;
};

static void rg_flush(struct rg_par *par)
{
	unsigned char *src = (unsigned char __force *)par->info.screen_base;

	// CHECK: {{.*}}ram-field-mixed.c:[[@LINE+1]]:11: warning: I/O memory 'src' indexed directly; use readl()/writel() or ioread32()/iowrite32() [kernel-iomem-deref]
	iowrite8(src[0], par->info.screen_base + 1);
	// CHECK: {{.*}}ram-field-mixed.c:[[@LINE-4]]:17: note: 'src' holds I/O memory 'par->info.screen_base' (declared __iomem), assigned here
}

int rg_setup(struct rg_par *par, resource_size_t start);
int rg_setup(struct rg_par *par, resource_size_t start)
{
	if (par->on_card)
		par->info.screen_base = ioremap(start, 4096);
	else
		par->info.screen_base = (char __iomem *)vzalloc(4096);
	if (!par->info.screen_base)
		return -ENOMEM;
	rg_flush(par);
	return 0;
}
MODULE_LICENSE("GPL");
