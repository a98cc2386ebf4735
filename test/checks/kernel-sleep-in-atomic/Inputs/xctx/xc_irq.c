#include <linux/delay.h>
#include <linux/slab.h>
#include "xc.h"

static void xc_fw_cmd(struct xc_priv *p, u32 cmd)
{
	mutex_lock(&p->cmd_lock);
	writel(cmd, p->regs);
	mutex_unlock(&p->cmd_lock);
}

irqreturn_t xc_isr(int irq, void *data)
{
	struct xc_priv *p = data;

	if (!readl(p->regs + 4))
		return IRQ_NONE;
	xc_fw_cmd(p, 1);
	return IRQ_HANDLED;
}

/* Threaded handler: process context, sleeping is fine. */
irqreturn_t xc_isr_thread(int irq, void *data)
{
	struct xc_priv *p = data;

	xc_fw_cmd(p, 2);
	msleep(1);
	return IRQ_HANDLED;
}

void xc_watchdog(struct timer_list *t)
{
	struct xc_priv *p = from_timer(p, t, watchdog);
	u32 *snap = kmalloc(64, GFP_KERNEL);

	if (snap)
		*snap = readl(p->regs);
	kfree(snap);
}

/* Defined again in xc_tx.c: which one the registration means is the
 * linker's business, not the link's; neither is reported. */
irqreturn_t xc_isr_dup(int irq, void *data)
{
	msleep(1);
	return IRQ_HANDLED;
}
