// RUN: %kdlint-kbuild --checks=-*,kernel-iomem-deref %s 2>&1 | FileCheck %s --implicit-check-not="warning:"
// RUN: %kdlint-kbuild --checks=-*,kernel-iomem-deref --export-fixes=%t.yaml %s >/dev/null 2>&1; FileCheck %s --check-prefix=FIX < %t.yaml
#include <linux/module.h>
#include <linux/io.h>
#include <linux/string.h>

struct io_regs {
	u32 ctrl;
	u32 status;
	u32 fifo[4];
};

struct io_priv {
	void __iomem *base;
	u32 __iomem *fifo;
	struct io_regs __iomem *regs;
	void __iomem **bars;
	u8 shadow[64];
};

static u32 io_read_status(struct io_priv *p)
{
	u32 v = *(u32 *)(p->base + 4);		/* dereferenced */

	p->fifo[0] = v;				/* indexed */
	return p->regs->status;			/* through '->' */
}

static void io_snapshot(struct io_priv *p)
{
	memcpy(p->shadow, p->base, sizeof(p->shadow));	/* from I/O memory */
	memset(p->base + 0x100, 0, 16);			/* on I/O memory */
}

static u32 io_legacy(phys_addr_t phys)
{
	u32 *win = (u32 *)ioremap(phys, 64);	/* __iomem cast away */
	u32 v;

	if (!win)
		return 0;
	v = win[2];				/* still I/O memory */
	iounmap((void __iomem *)win);
	return v;
}

/* Correct accessors: none of this is reported. */
static u32 io_ok(struct io_priv *p)
{
	u32 v = readl(p->base + 4);

	writel(v, &p->regs->ctrl);
	iowrite32(v, &p->regs->fifo[1]);
	memcpy_fromio(p->shadow, p->base, sizeof(p->shadow));
	memset_io(p->base + 0x100, 0, 16);
	v += readl(p->bars[0]);			/* a table of mappings */
	p->shadow[0] = v;
	return v;
}

MODULE_LICENSE("GPL");

// CHECK: {{.*}}deref.c:23:10: warning: I/O memory 'p->base' dereferenced directly; use readl()/writel() or ioread32()/iowrite32() [kernel-iomem-deref]
// CHECK: {{.*}}deref.c:14:16: note: 'p->base' is declared __iomem here
// CHECK: {{.*}}deref.c:25:2: warning: I/O memory 'p->fifo' indexed directly; use readl()/writel() or ioread32()/iowrite32() [kernel-iomem-deref]
// CHECK: {{.*}}deref.c:15:15: note: 'p->fifo' is declared __iomem here
// CHECK: {{.*}}deref.c:26:9: warning: I/O memory 'p->regs' accessed through '->status' directly; use readl()/writel() or ioread32()/iowrite32() [kernel-iomem-deref]
// CHECK: {{.*}}deref.c:16:26: note: 'p->regs' is declared __iomem here
// CHECK: {{.*}}deref.c:31:2: warning: 'memcpy' on I/O memory 'p->base'; use 'memcpy_fromio' [kernel-iomem-deref]
// CHECK: {{.*}}deref.c:14:16: note: 'p->base' is declared __iomem here
// CHECK: {{.*}}deref.c:32:2: warning: 'memset' on I/O memory 'p->base'; use 'memset_io' [kernel-iomem-deref]
// CHECK: {{.*}}deref.c:14:16: note: 'p->base' is declared __iomem here
// CHECK: {{.*}}deref.c:42:6: warning: I/O memory 'win' indexed directly; use readl()/writel() or ioread32()/iowrite32() [kernel-iomem-deref]
// CHECK: {{.*}}deref.c:37:20: note: 'win' is an I/O mapping from 'ioremap' here

// FIX: Message: '''memcpy'' on I/O memory ''p->base''; use ''memcpy_fromio'''
// FIX: Length: 6
// FIX-NEXT: ReplacementText: memcpy_fromio
// FIX: Message: '''memset'' on I/O memory ''p->base''; use ''memset_io'''
// FIX: Length: 6
// FIX-NEXT: ReplacementText: memset_io
