#include <linux/delay.h>
#include "xc.h"

netdev_tx_t xc_start_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	struct xc_priv *p = netdev_priv(ndev);

	mutex_lock(&p->cmd_lock);
	writel(skb->len, p->regs + 8);
	mutex_unlock(&p->cmd_lock);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

/* .ndo_open and .ndo_stop run in process context under RTNL. */
int xc_open(struct net_device *ndev)
{
	struct xc_priv *p = netdev_priv(ndev);

	mutex_lock(&p->cmd_lock);
	mutex_unlock(&p->cmd_lock);
	return 0;
}

int xc_stop(struct net_device *ndev)
{
	msleep(10);
	return 0;
}

irqreturn_t xc_isr_dup(int irq, void *data)
{
	msleep(2);
	return IRQ_HANDLED;
}
