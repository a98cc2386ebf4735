// RUN: %kdlint-kbuild --checks=-*,kernel-region-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// A switch over an enum value decides which enumerator each edge has
// (drivers/watchdog/sp5100_tco.c: the efch_mmio layout returned early, the
// switch covers the other three, so its default returning without
// release_region() is never taken). The same switch without that early
// return leaks on the efch_mmio devices, and is reported.
#include <linux/module.h>
#include <linux/ioport.h>
#include <linux/io.h>

enum tco_reg_layout { sp5100, sb800, efch, efch_mmio };

struct tco {
	enum tco_reg_layout layout;
	u32 base;
};

int tco_setup_mmio(struct tco *tco);
int tco_timer_init(struct tco *tco, u32 addr);

int tco_setupdevice(struct tco *tco);
int tco_setupdevice(struct tco *tco)
{
	u32 addr = 0;
	int ret;

	if (tco->layout == efch_mmio)
		return tco_setup_mmio(tco);
	if (!request_muxed_region(0xcd6, 2, "sp5100_tco"))
		return -EBUSY;
	switch (tco->layout) {
	case sp5100:
		addr = inl(0xcd6) & 0xfffffff8;
		break;
	case sb800:
		addr = inl(0xcd6) & 0xfffffff0;
		break;
	case efch:
		if (inb(0xcd6) & 1)
			addr = 0xfed80b00;
		break;
	default:
		return -ENODEV;
	}
	ret = tco_timer_init(tco, addr);
	release_region(0xcd6, 2);
	return ret;
}

/* Every enumerator has its case: the default is the driver's guard. */
int tco_setup_all(struct tco *tco);
int tco_setup_all(struct tco *tco)
{
	u32 addr;

	if (!request_muxed_region(0xcd6, 2, "sp5100_tco"))
		return -EBUSY;
	switch (tco->layout) {
	case sp5100:
	case sb800:
		addr = inl(0xcd6);
		break;
	case efch:
	case efch_mmio:
		addr = 0xfed80b00;
		break;
	default:
		return -EINVAL;
	}
	release_region(0xcd6, 2);
	return tco_timer_init(tco, addr);
}

/* No early return for efch_mmio: the default is taken there. */
int tco_setup_leaky(struct tco *tco);
int tco_setup_leaky(struct tco *tco)
{
	u32 addr = 0;
	int ret;

	// CHECK: {{.*}}switch-enum.c:[[@LINE+1]]:7: warning: I/O port region from 'request_muxed_region' is not released on every path (an error path leaks it); call 'release_region' [kernel-region-leak]
	if (!request_muxed_region(0xcd6, 2, "sp5100_tco"))
		return -EBUSY;
	// CHECK: {{.*}}switch-enum.c:[[@LINE-2]]:6: note: taking the false branch here
	// CHECK: {{.*}}switch-enum.c:[[@LINE+12]]:3: note: 'tco_setup_leaky' returns here with an error and the I/O port region is still held
	switch (tco->layout) {
	case sp5100:
		addr = inl(0xcd6) & 0xfffffff8;
		break;
	case sb800:
		addr = inl(0xcd6) & 0xfffffff0;
		break;
	case efch:
		addr = 0xfed80b00;
		break;
	default:
		return -ENODEV;
	}
	ret = tco_timer_init(tco, addr);
	release_region(0xcd6, 2);
	return ret;
}
MODULE_LICENSE("GPL");
