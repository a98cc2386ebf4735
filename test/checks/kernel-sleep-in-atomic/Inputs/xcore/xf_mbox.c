#include <linux/module.h>
#include <linux/io.h>
#include <linux/mutex.h>
#include <linux/delay.h>
#include "xf.h"

struct xf_priv {
	void __iomem *regs;
	struct mutex mbox_lock;
};

/* A core's exported function that sleeps through its own helper, on a path
 * the object it is given decides (as libata's sata_scr_write() does). */
static int xf_mbox_xfer(struct xf_priv *p, u32 msg)
{
	mutex_lock(&p->mbox_lock);
	writel(msg, p->regs + 0x40);
	msleep(2);
	mutex_unlock(&p->mbox_lock);
	return 0;
}

int xf_mbox_send(struct xf_priv *p, u32 msg)
{
	return xf_mbox_xfer(p, msg);
}
