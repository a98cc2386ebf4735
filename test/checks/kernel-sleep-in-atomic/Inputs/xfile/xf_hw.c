#include <linux/module.h>
#include <linux/io.h>
#include <linux/mutex.h>
#include "xf.h"

struct xf_priv {
	void __iomem *regs;
	struct mutex mbox_lock;
};

/* Acknowledges through the mailbox: sleeps, two files away. */
int xf_hw_ack(struct xf_priv *p)
{
	return xf_mbox_send(p, 1);
}

/* Acknowledges with a register write: never sleeps. */
int xf_hw_ack_fast(struct xf_priv *p)
{
	writel(1, p->regs + 0x10);
	return 0;
}

u32 xf_hw_status(struct xf_priv *p)
{
	return readl(p->regs);
}

/* The mailbox again, through a static helper: xf_hw_reset() sleeps too. */
static int xf_hw_sync(struct xf_priv *p)
{
	return xf_mbox_send(p, 2);
}

int xf_hw_reset(struct xf_priv *p)
{
	writel(0, p->regs);
	return xf_hw_sync(p);
}

/* A static helper that only writes a register: never sleeps. */
static void xf_hw_kick(struct xf_priv *p)
{
	writel(1, p->regs + 0x20);
}

void xf_hw_reset_fast(struct xf_priv *p)
{
	xf_hw_kick(p);
}
