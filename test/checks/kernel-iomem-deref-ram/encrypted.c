// RUN: %kdlint-kbuild --checks=-*,kernel-iomem-deref %s 2>&1 | FileCheck %s --check-prefix=DEFAULT --implicit-check-not="warning:" --allow-empty
// RUN: %kdlint-kbuild --checks=-*,kernel-iomem-deref-ram %s 2>&1 | FileCheck %s --check-prefix=RAM --implicit-check-not="warning:" --implicit-check-not="note:"
// ioremap_encrypted() maps write-back (arch/x86/mm/ioremap.c): a kdump kernel
// reads the previous kernel's tables through it as memory, the way the AMD
// IOMMU driver copies the old device table (drivers/iommu/amd/init.c). Not
// MMIO: kernel-iomem-deref stays silent, kernel-iomem-deref-ram (off by
// default) reports it. A plain ioremap() of the same table is still MMIO.
#include <linux/module.h>
#include <linux/io.h>
#include <linux/slab.h>
#include <linux/crash_dump.h>

struct ec_dte {
	u64 data[4];
};

int ec_copy_old_table(phys_addr_t phys, unsigned int n, struct ec_dte *copy);
int ec_copy_old_table(phys_addr_t phys, unsigned int n, struct ec_dte *copy)
{
	struct ec_dte *old;
	unsigned int i;

	old = is_kdump_kernel()
	      ? (__force void *)ioremap_encrypted(phys, n * sizeof(*old))
	      : memremap(phys, n * sizeof(*old), MEMREMAP_WB);
	if (!old)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		// RAM: {{.*}}encrypted.c:[[@LINE+2]]:13: warning: memory-like I/O mapping 'old' indexed directly; map RAM with memremap(), or use the MMIO accessors [kernel-iomem-deref-ram]
		// RAM: {{.*}}encrypted.c:[[@LINE-6]]:26: note: 'old' is an I/O mapping from 'ioremap_encrypted' here
		copy[i] = old[i];
	memunmap(old);
	return 0;
}

int ec_peek(phys_addr_t phys);
int ec_peek(phys_addr_t phys)
{
	u32 *regs = (__force u32 *)ioremap(phys, 4);
	int v;

	if (!regs)
		return -ENOMEM;
	// DEFAULT: {{.*}}encrypted.c:[[@LINE+2]]:6: warning: I/O memory 'regs' indexed directly; use readl()/writel() or ioread32()/iowrite32() [kernel-iomem-deref]
	// DEFAULT: {{.*}}encrypted.c:[[@LINE-6]]:29: note: 'regs' is an I/O mapping from 'ioremap' here
	v = regs[0];
	iounmap((void __iomem *)regs);
	return v;
}
MODULE_LICENSE("GPL");
