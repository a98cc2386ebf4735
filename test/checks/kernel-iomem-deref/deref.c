// RUN: %kdlint-kbuild --checks=-*,kernel-iomem-deref %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
//
// --export-fixes: a fresh file, exit status 1 for findings (KDLINT_WERROR=1: in
// Kbuild mode kdlint otherwise exits 0 like sparse), and each fix's file, offset,
// length and text. Offsets are grep -b's byte offsets of the code in this file
// (the [;] keeps a pattern from matching this RUN line).
// RUN: rm -f %t.yaml
// RUN: cd %kdir && env KDLINT_WERROR=1 sh -c '"$@" >/dev/null 2>&1; echo "exit=$?"' sh %kdlint %kflags --checks=-*,kernel-iomem-deref --export-fixes=%t.yaml %s | FileCheck %s --check-prefix=EXIT
// EXIT: {{^}}exit=1{{$}}
// RUN: grep -b -o -e 'memcpy(p->shadow, p->base, sizeof(p->shadow))[;]' -e 'memset(p->base + 0x100, 0, 16)[;]' %s > %t.off
// RUN: cat %t.off %t.yaml | FileCheck %s --check-prefix=FIX -DFILE=%s --implicit-check-not=ReplacementText:
// FIX: {{^}}[[#MEMCPY:]]:memcpy(p->shadow,
// FIX-NEXT: {{^}}[[#MEMSET:]]:memset(p->base +
// FIX-NEXT: {{^}}---
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
	// CHECK: {{.*}}deref.c:[[@LINE+1]]:10: warning: I/O memory 'p->base' dereferenced directly; use readl()/writel() or ioread32()/iowrite32() [kernel-iomem-deref]
	u32 v = *(u32 *)(p->base + 4);		/* dereferenced */
	// CHECK: {{.*}}deref.c:[[@LINE-11]]:16: note: 'p->base' is declared __iomem here

	// CHECK: {{.*}}deref.c:[[@LINE+1]]:2: warning: I/O memory 'p->fifo' indexed directly; use readl()/writel() or ioread32()/iowrite32() [kernel-iomem-deref]
	p->fifo[0] = v;				/* indexed */
	// CHECK: {{.*}}deref.c:[[@LINE-14]]:15: note: 'p->fifo' is declared __iomem here
	// CHECK: {{.*}}deref.c:[[@LINE+1]]:9: warning: I/O memory 'p->regs' accessed through '->status' directly; use readl()/writel() or ioread32()/iowrite32() [kernel-iomem-deref]
	return p->regs->status;			/* through '->' */
	// CHECK: {{.*}}deref.c:[[@LINE-16]]:26: note: 'p->regs' is declared __iomem here
}

static void io_snapshot(struct io_priv *p)
{
	// CHECK: {{.*}}deref.c:[[@LINE+1]]:2: warning: 'memcpy' on I/O memory 'p->base'; use 'memcpy_fromio' [kernel-iomem-deref]
	memcpy(p->shadow, p->base, sizeof(p->shadow));	/* from I/O memory */
	// CHECK: {{.*}}deref.c:[[@LINE-25]]:16: note: 'p->base' is declared __iomem here
	// FIX: Message: '''memcpy'' on I/O memory ''p->base''; use ''memcpy_fromio'''
	// FIX-NEXT: FilePath: '[[FILE]]'
	// FIX-NEXT: FileOffset: [[#MEMCPY]]{{$}}
	// FIX-NEXT: Replacements:
	// FIX-NEXT: - FilePath: '[[FILE]]'
	// FIX-NEXT: Offset: [[#MEMCPY]]{{$}}
	// FIX-NEXT: Length: 6{{$}}
	// FIX-NEXT: ReplacementText: memcpy_fromio{{$}}
	// CHECK: {{.*}}deref.c:[[@LINE+1]]:2: warning: 'memset' on I/O memory 'p->base'; use 'memset_io' [kernel-iomem-deref]
	memset(p->base + 0x100, 0, 16);			/* on I/O memory */
	// CHECK: {{.*}}deref.c:[[@LINE-36]]:16: note: 'p->base' is declared __iomem here
	// FIX: Message: '''memset'' on I/O memory ''p->base''; use ''memset_io'''
	// FIX-NEXT: FilePath: '[[FILE]]'
	// FIX-NEXT: FileOffset: [[#MEMSET]]{{$}}
	// FIX-NEXT: Replacements:
	// FIX-NEXT: - FilePath: '[[FILE]]'
	// FIX-NEXT: Offset: [[#MEMSET]]{{$}}
	// FIX-NEXT: Length: 6{{$}}
	// FIX-NEXT: ReplacementText: memset_io{{$}}
}

static u32 io_legacy(phys_addr_t phys)
{
	u32 *win = (u32 *)ioremap(phys, 64);	/* __iomem cast away */
	u32 v;

	if (!win)
		return 0;
	// CHECK: {{.*}}deref.c:[[@LINE+1]]:6: warning: I/O memory 'win' indexed directly; use readl()/writel() or ioread32()/iowrite32() [kernel-iomem-deref]
	v = win[2];				/* still I/O memory */
	// CHECK: {{.*}}deref.c:[[@LINE-7]]:20: note: 'win' is an I/O mapping from 'ioremap' here
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
