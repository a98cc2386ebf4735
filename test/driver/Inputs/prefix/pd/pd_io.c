#include "pd.h"
#include <linux/delay.h>
#include <linux/slab.h>

void pd_sync(struct pd_priv *p)
{
	msleep(1);
}

void pd_stats_done(struct pd_priv *p)
{
	spin_unlock(&p->lock);
}

void pd_refill(struct pd_priv *p)
{
	spin_lock(&p->lock);
	p->shadow = kmalloc(64, GFP_KERNEL);
	spin_unlock(&p->lock);
}
