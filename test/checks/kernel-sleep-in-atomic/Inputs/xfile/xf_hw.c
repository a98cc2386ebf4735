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
