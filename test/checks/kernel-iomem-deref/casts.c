// RUN: %kdlint-kbuild --checks=-*,kernel-iomem-deref %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// The __iomem qualifier cast away into a plain local, then a plain store
// through it (drivers/atm idiom); and look-alikes that stay silent.
#include <linux/module.h>
#include <linux/io.h>

#define REASS_TABLE	0x10
#define NO_AAL5_PKT	0x3

struct sar {
	void __iomem *reass_ram;
	u16 *shadow;		/* RAM */
	unsigned int mem_size;
};

void sar_reset_vc(struct sar *iadev, unsigned int vci)
{
	u16 *vc_table;

	vc_table = (u16 *)(iadev->reass_ram + REASS_TABLE * iadev->mem_size);
	vc_table += vci;
	// CHECK: {{.*}}casts.c:[[@LINE+1]]:2: warning: I/O memory 'vc_table' dereferenced directly; use readl()/writel() or ioread32()/iowrite32() [kernel-iomem-deref]
	*vc_table = NO_AAL5_PKT;
	// CHECK: {{.*}}casts.c:[[@LINE-4]]:2: note: 'vc_table' holds I/O memory 'iadev->reass_ram' (declared __iomem), assigned here
}

/* The accessor, given the cast pointer back: fine. */
void sar_reset_vc_io(struct sar *iadev, unsigned int vci)
{
	u16 *vc_table = (u16 *)(iadev->reass_ram + REASS_TABLE * iadev->mem_size);

	writew(NO_AAL5_PKT, (u16 __iomem *)(vc_table + vci));
}

/* One local, filled from RAM on one path: not known to be I/O memory. */
void sar_reset_shadow(struct sar *iadev, unsigned int vci, bool hw)
{
	u16 *vc_table;

	if (hw)
		vc_table = (u16 *)(iadev->reass_ram + REASS_TABLE * iadev->mem_size);
	else
		vc_table = iadev->shadow;
	vc_table[vci] = NO_AAL5_PKT;
}

MODULE_LICENSE("GPL");
