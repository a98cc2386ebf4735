// RUN: %kdlint-kbuild --checks=-*,kernel-ioremap-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// BUG_ON() and BUG() do not return: no path leaves the function there.
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/io.h>
#include <linux/bug.h>

struct dbg_block { u32 id; u32 count; };

void dbg_dump(void __iomem *base, const struct dbg_block *b);

void gpu_dump_cx(struct platform_device *pdev, const struct dbg_block *b,
		 unsigned int family)
{
	struct resource *res;
	void __iomem *cxdbg = NULL;

	res = platform_get_resource_byname(pdev, IORESOURCE_MEM, "cx_dbgc");
	if (res)
		cxdbg = ioremap(res->start, resource_size(res));
	if (cxdbg) {
		BUG_ON(family > 7);
		dbg_dump(cxdbg, b);
		iounmap(cxdbg);
	}
}

void gpu_dump_cx_bad(struct platform_device *pdev, const struct dbg_block *b,
		     unsigned int family)
{
	struct resource *res;
	void __iomem *cxdbg = NULL;

	res = platform_get_resource_byname(pdev, IORESOURCE_MEM, "cx_dbgc");
	if (res)
		// CHECK: {{.*}}noreturn.c:[[@LINE+1]]:11: warning: I/O mapping from 'ioremap' is not unmapped on every path; call 'iounmap' [kernel-ioremap-leak]
		cxdbg = ioremap(res->start, resource_size(res));
	// CHECK: {{.*}}noreturn.c:[[@LINE+1]]:6: note: taking the true branch here
	if (cxdbg) {
		// CHECK: {{.*}}noreturn.c:[[@LINE+1]]:7: note: taking the true branch here
		if (family > 7)
			// CHECK: {{.*}}noreturn.c:[[@LINE+1]]:4: note: 'gpu_dump_cx_bad' returns here and the I/O mapping is still mapped
			return;		/* returns, unlike BUG() */
		dbg_dump(cxdbg, b);
		iounmap(cxdbg);
	}
}

MODULE_LICENSE("GPL");
