#include "pd.h"
#include <linux/delay.h>

irqreturn_t pd_irq(int irq, void *data)
{
	struct pd_priv *p = data;

	writel(0, p->regs);
	pd_sync(p);
	return IRQ_HANDLED;
}

void pd_stats(struct pd_priv *p)
{
	spin_lock(&p->lock);
	pd_stats_done(p);
	msleep(1);
}
