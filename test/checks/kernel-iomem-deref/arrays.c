// RUN: %kdlint-kbuild --checks=-*,kernel-iomem-deref %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// Tables of I/O mappings (void __iomem *regs[4], a parameter void __iomem *reg[])
// are ordinary memory: indexing them reads a pointer.
#include <linux/module.h>
#include <linux/io.h>

struct pinctl {
	void __iomem *base_gafr[4];
	void __iomem *csr;
};

void pinctl_init(struct pinctl *p, void __iomem *base_gafr[], int n)
{
	int i;

	for (i = 0; i < n; i++)
		p->base_gafr[i] = base_gafr[i];		/* copies pointers: fine */
	writel(0, p->base_gafr[0]);
	// CHECK: {{.*}}arrays.c:[[@LINE+1]]:2: warning: I/O memory 'p->csr' dereferenced directly; use readl()/writel() or ioread32()/iowrite32() [kernel-iomem-deref]
	*(u32 *)p->csr = 1;
	// CHECK: {{.*}}arrays.c:[[@LINE-12]]:16: note: 'p->csr' is declared __iomem here
}
MODULE_LICENSE("GPL");
