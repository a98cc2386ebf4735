// RUN: %kdlint-kbuild --checks=-*,kernel-ioremap-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// A pointer initialized to NULL and assigned the mapping in the same block:
// the second store ends what the first one said, so the success branch of
// `if (!base)` is taken and the leak after it is found.
#include <linux/module.h>
#include <linux/io.h>

int fx_setup(phys_addr_t start)
{
	void __iomem *base = NULL;
	int err = 0;

	// CHECK: {{.*}}init-then-map.c:[[@LINE+1]]:9: warning: I/O mapping from 'ioremap' is not unmapped on every path (an error path leaks it); call 'iounmap' [kernel-ioremap-leak]
	base = ioremap(start, 0x100);
	// CHECK: {{.*}}init-then-map.c:[[@LINE+1]]:6: note: taking the false branch here
	if (!base)
		return -ENOMEM;
	err = readl(base) == ~0u ? -ENODEV : 0;
	// CHECK: {{.*}}init-then-map.c:[[@LINE+1]]:6: note: taking the true branch here
	if (err)
		// CHECK: {{.*}}init-then-map.c:[[@LINE+1]]:3: note: 'fx_setup' returns here with an error and the I/O mapping is still mapped
		return err;
	iounmap(base);
	return 0;
}
EXPORT_SYMBOL_GPL(fx_setup);
MODULE_LICENSE("GPL");
