// RUN: %kdlint-kbuild --checks=-*,kernel-region-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// A board that can be driven through MMIO or through ports tests which one
// with a macro over a flag of its private struct (drivers/net/fddi/defxx.c:
// #define dfx_use_mmio bp->mmio), and clears the flag where the memory region
// cannot be had. The flag is the same lvalue at every test and at its
// stores, however it is spelled: once the memory region is held the flag is
// still set, so the port branch cannot run and the error label releases the
// memory region.
#include <linux/module.h>
#include <linux/ioport.h>
#include <linux/pci.h>

struct brd {
	bool mmio;
	void __iomem *mem;
	unsigned long port;
};

#define brd_use_mmio bp->mmio

static int brd_init(struct brd *bp);

static int brd_register(struct brd *bp, resource_size_t start, resource_size_t len)
{
	struct resource *region = NULL;
	int err;

	bp->mmio = true;
	if (brd_use_mmio) {
		region = request_mem_region(start, len, "brd");
		if (!region)
			bp->mmio = false;
	}
	if (!brd_use_mmio)
		region = request_region(start, len, "brd");
	if (!region)
		return -EBUSY;

	err = brd_init(bp);
	if (err)
		goto err_release;
	return 0;

err_release:
	if (brd_use_mmio)
		release_mem_region(start, len);
	else
		release_region(start, len);
	return err;
}

/* The same flag, but the error label releases only the port region. */
static int brd_register_leak(struct brd *bp, resource_size_t start, resource_size_t len)
{
	struct resource *region = NULL;
	int err;

	bp->mmio = true;
	if (brd_use_mmio) {
		// CHECK: {{.*}}flag-macro.c:[[@LINE+1]]:12: warning: I/O memory region from 'request_mem_region' is not released on every path (an error path leaks it); call 'release_mem_region' [kernel-region-leak]
		region = request_mem_region(start, len, "brd");
		if (!region)
			bp->mmio = false;
	}
	// CHECK: {{.*}}flag-macro.c:[[@LINE+1]]:6: note: taking the false branch here
	if (!brd_use_mmio)
		region = request_region(start, len, "brd");
	// CHECK: {{.*}}flag-macro.c:[[@LINE+1]]:6: note: taking the false branch here
	if (!region)
		return -EBUSY;

	err = brd_init(bp);
	// CHECK: {{.*}}flag-macro.c:[[@LINE+1]]:6: note: taking the true branch here
	if (err)
		goto err_release;
	return 0;

err_release:
	// CHECK: {{.*}}flag-macro.c:[[@LINE+1]]:6: note: taking the false branch here
	if (!brd_use_mmio)
		release_region(start, len);
	// CHECK: {{.*}}flag-macro.c:[[@LINE+1]]:2: note: 'brd_register_leak' returns here with an error and the I/O memory region is still held
	return err;
}

MODULE_LICENSE("GPL");
