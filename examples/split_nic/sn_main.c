// SPDX-License-Identifier: GPL-2.0
/* Probe, the IRQ handler and the netdev ops. */
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/interrupt.h>
#include <linux/etherdevice.h>
#include <linux/vmalloc.h>
#include "sn.h"

static irqreturn_t sn_isr(int irq, void *data)
{
	struct sn_priv *priv = data;

	if (!sn_hw_irq_status(priv))
		return IRQ_NONE;
	sn_hw_ack_irq(priv);		/* bug: the mailbox sleeps */
	return IRQ_HANDLED;
}

static netdev_tx_t sn_start_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	struct sn_priv *priv = netdev_priv(ndev);

	spin_lock(&priv->tx_lock);
	sn_hw_kick_tx(priv);		/* a register write: fine */
	spin_unlock(&priv->tx_lock);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static void sn_tx_timeout(struct net_device *ndev, unsigned int txqueue)
{
	struct sn_priv *priv = netdev_priv(ndev);
	unsigned long flags;

	spin_lock_irqsave(&priv->tx_lock, flags);
	sn_hw_reset(priv);		/* bug: resets through the mailbox */
	spin_unlock_irqrestore(&priv->tx_lock, flags);
}

static int sn_open(struct net_device *ndev)
{
	return 0;
}

static int sn_stop(struct net_device *ndev)
{
	return 0;
}

static const struct net_device_ops sn_netdev_ops = {
	.ndo_open = sn_open,
	.ndo_stop = sn_stop,
	.ndo_start_xmit = sn_start_xmit,
	.ndo_tx_timeout = sn_tx_timeout,
};

static int sn_probe(struct platform_device *pdev)
{
	struct net_device *ndev;
	struct sn_priv *priv;
	int irq, err;

	ndev = devm_alloc_etherdev(&pdev->dev, sizeof(*priv));
	if (!ndev)
		return -ENOMEM;
	priv = netdev_priv(ndev);
	priv->ndev = ndev;
	spin_lock_init(&priv->tx_lock);
	mutex_init(&priv->mbox_lock);
	priv->regs = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(priv->regs))
		return PTR_ERR(priv->regs);
	err = sn_hw_map_sram(priv, pdev);
	if (err)
		return err;
	priv->nstats = 4096;
	priv->stats = vmalloc(array_size(priv->nstats, sizeof(u32)));
	if (!priv->stats)
		return -ENOMEM;
	irq = platform_get_irq(pdev, 0);
	if (irq < 0) {
		err = irq;
		goto err_stats;
	}
	err = devm_request_irq(&pdev->dev, irq, sn_isr, 0, "split_nic", priv);
	if (err)
		goto err_stats;
	ndev->netdev_ops = &sn_netdev_ops;
	platform_set_drvdata(pdev, priv);
	err = register_netdev(ndev);
	if (err)
		goto err_stats;
	return 0;

err_stats:
	sn_hw_teardown(priv);		/* bug: kfree() of vmalloc() memory */
	return err;
}

static void sn_remove(struct platform_device *pdev)
{
	struct sn_priv *priv = platform_get_drvdata(pdev);

	unregister_netdev(priv->ndev);
	sn_hw_teardown(priv);
}

static struct platform_driver sn_driver = {
	.driver = { .name = "split_nic" },
	.probe = sn_probe,
	.remove_new = sn_remove,
};
module_platform_driver(sn_driver);
MODULE_DESCRIPTION("kdlint example: a driver in three files");
MODULE_LICENSE("GPL");
