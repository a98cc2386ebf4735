// RUN: %kdlint-kbuild --checks=-*,kernel-gfp-flags %s 2>&1 | FileCheck %s --implicit-check-not="warning:"
// A driver's own mask that leaves out reclaim on purpose (it also asks for no
// warning and no retry) is not the "zone modifier alone" mistake; GFP_DMA on
// its own still is.
#include <linux/module.h>
#include <linux/gfp.h>
#include <linux/slab.h>

#define RX_PAGE_GFP	(__GFP_DMA | __GFP_NOWARN | __GFP_NORETRY)

unsigned long rx_refill(void **desc)
{
	// CHECK: {{.*}}own-mask.c:[[@LINE+1]]:10: warning: 'kmalloc' with GFP_DMA alone: a zone modifier without reclaim, I/O or FS bits neither sleeps nor wakes kswapd; combine it with GFP_KERNEL or GFP_ATOMIC [kernel-gfp-flags]
	*desc = kmalloc(64, GFP_DMA);
	return __get_free_pages(RX_PAGE_GFP, 1);	/* on purpose: fine */
}
MODULE_LICENSE("GPL");
