// RUN: %kdlint-kbuild --checks=-*,kernel-ioremap-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// A helper that maps a page-aligned window and returns the mapping plus the
// offset, or NULL when the mapping failed: the caller keeps it. One that
// returns NULL in both arms of the test drops it.
#include <linux/module.h>
#include <linux/io.h>

static void __iomem *remap_pci_mem(ulong base, ulong size)
{
	ulong page_base = ((ulong) base) & PAGE_MASK;
	ulong page_offs = ((ulong) base) - page_base;
	void __iomem *page_remapped = ioremap(page_base, page_offs + size);

	return page_remapped ? (page_remapped + page_offs) : NULL;
}

static void __iomem *probe_window(ulong base, ulong size)
{
	ulong page_base = base & PAGE_MASK;
	// CHECK: {{.*}}returned-offset.c:[[@LINE+1]]:25: warning: I/O mapping from 'ioremap' is not unmapped on every path; call 'iounmap' [kernel-ioremap-leak]
	void __iomem *window = ioremap(page_base, size + base - page_base);

	// CHECK: {{.*}}returned-offset.c:[[@LINE+3]]:9: note: taking the true branch here
	// CHECK: {{.*}}returned-offset.c:[[@LINE+2]]:19: note: taking the true branch here
	// CHECK: {{.*}}returned-offset.c:[[@LINE+1]]:2: note: 'probe_window' returns here and the I/O mapping is still mapped
	return window && readl(window) == ~0u ? NULL : remap_pci_mem(base, size);
}

void __iomem *hp_map_cfg(ulong base, ulong size)
{
	return probe_window(base, size);
}
EXPORT_SYMBOL_GPL(hp_map_cfg);
MODULE_LICENSE("GPL");
