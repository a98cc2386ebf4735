#include <linux/module.h>
#include <linux/io.h>
#include <linux/mutex.h>
#include <linux/delay.h>
#include "xf.h"

struct xf_priv {
	void __iomem *regs;
	struct mutex mbox_lock;
};

/* The mailbox waits for the firmware: it sleeps. */
int xf_mbox_send(struct xf_priv *p, u32 msg)
{
	mutex_lock(&p->mbox_lock);
	writel(msg, p->regs + 0x40);
	msleep(2);
	mutex_unlock(&p->mbox_lock);
	return 0;
}
