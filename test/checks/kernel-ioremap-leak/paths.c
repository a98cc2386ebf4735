// RUN: %kdlint-kbuild --checks=-*,kernel-ioremap-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// Failure tests drivers write through WARN_ON(), and leak paths whose notes name
// only the branches on which the mapping is still mapped.
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/io.h>
#include <linux/bug.h>

/* Elsewhere in the driver: */
int anatop_register(void __iomem *base);		/* keeps it */
int pll_check(const void __iomem *base);		/* only reads */

int anatop_setup(struct device_node *np)
{
	void __iomem *base;
	int ret;

	base = of_iomap(np, 0);
	if (WARN_ON(!base))				/* failed: nothing mapped */
		return -ENOMEM;
	ret = pll_check(base);
	if (ret) {
		iounmap(base);
		return ret;
	}
	return anatop_register(base);
}

int pll_setup(struct device_node *np)
{
	void __iomem *base;
	int ret;

	// CHECK: {{.*}}paths.c:[[@LINE+1]]:9: warning: I/O mapping from 'of_iomap' is not unmapped on every path (an error path leaks it); call 'iounmap' [kernel-ioremap-leak]
	base = of_iomap(np, 0);
	// CHECK: {{.*}}paths.c:[[@LINE+1]]:6: note: taking the false branch here
	if (WARN_ON_ONCE(!base))
		return -ENOMEM;
	ret = pll_check(base);
	// CHECK: {{.*}}paths.c:[[@LINE+2]]:6: note: taking the true branch here
	// CHECK: {{.*}}paths.c:[[@LINE+2]]:3: note: 'pll_setup' returns here with an error and the I/O mapping is still mapped
	if (ret < 0)
		return ret;
	return anatop_register(base);
}

int map_quick(struct device_node *np, bool quick)
{
	// CHECK: {{.*}}paths.c:[[@LINE+1]]:20: warning: I/O mapping from 'of_iomap' is not unmapped on every path; call 'iounmap' [kernel-ioremap-leak]
	void __iomem *b = of_iomap(np, 0);

	// CHECK: {{.*}}paths.c:[[@LINE+1]]:6: note: taking the false branch here
	if (!b)
		return -ENOMEM;
	// CHECK: {{.*}}paths.c:[[@LINE+1]]:6: note: taking the false branch here
	if (quick)
		iounmap(b);
	// CHECK: {{.*}}paths.c:[[@LINE+1]]:2: note: 'map_quick' returns here and the I/O mapping is still mapped
	return 0;
}
MODULE_LICENSE("GPL");
