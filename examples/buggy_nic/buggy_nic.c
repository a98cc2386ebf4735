// SPDX-License-Identifier: GPL-2.0
/*
 * buggy_nic: a small PCI NIC driver skeleton with the sleep-in-atomic bugs
 * kernel history is full of. kdlint should report three of them.
 */
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/interrupt.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/slab.h>
#include <linux/delay.h>

struct bnic_priv {
	struct net_device *ndev;
	struct pci_dev *pdev;
	spinlock_t lock;
	struct napi_struct napi;
	void **rx_bufs;
	int nr_rx;
};

/* Bug 1: the refill path allocates with GFP_KERNEL under the ring lock. */
static int bnic_refill(struct bnic_priv *priv, gfp_t gfp)
{
	int i;

	for (i = 0; i < priv->nr_rx; i++)
		if (!priv->rx_bufs[i])
			priv->rx_bufs[i] = kmalloc(2048, gfp);
	return 0;
}

static void bnic_hw_wait_idle(struct bnic_priv *priv)
{
	msleep(5);	/* waits for the DMA engine to drain */
}

/* Bug 2: the hard-IRQ handler waits for the hardware through a helper. */
static irqreturn_t bnic_interrupt(int irq, void *data)
{
	struct bnic_priv *priv = data;

	bnic_hw_wait_idle(priv);
	napi_schedule(&priv->napi);
	return IRQ_HANDLED;
}

static int bnic_poll(struct napi_struct *napi, int budget)
{
	struct bnic_priv *priv = container_of(napi, struct bnic_priv, napi);
	unsigned long flags;

	spin_lock_irqsave(&priv->lock, flags);
	bnic_refill(priv, GFP_ATOMIC);		/* correct */
	spin_unlock_irqrestore(&priv->lock, flags);
	napi_complete_done(napi, 0);
	return 0;
}

static int bnic_open(struct net_device *ndev)
{
	struct bnic_priv *priv = netdev_priv(ndev);
	unsigned long flags;
	int err;

	err = request_irq(priv->pdev->irq, bnic_interrupt, IRQF_SHARED, "bnic", priv);
	if (err)
		return err;
	spin_lock_irqsave(&priv->lock, flags);
	bnic_refill(priv, GFP_KERNEL);		/* bug 1 */
	spin_unlock_irqrestore(&priv->lock, flags);
	napi_enable(&priv->napi);
	return 0;
}

/* Bug 3: the ethtool-style reset sleeps with bottom halves disabled. */
static void bnic_reset(struct bnic_priv *priv)
{
	spin_lock_bh(&priv->lock);
	bnic_hw_wait_idle(priv);
	spin_unlock_bh(&priv->lock);
}

static int bnic_stop(struct net_device *ndev)
{
	struct bnic_priv *priv = netdev_priv(ndev);

	napi_disable(&priv->napi);
	free_irq(priv->pdev->irq, priv);
	bnic_reset(priv);
	return 0;
}

static const struct net_device_ops bnic_netdev_ops = {
	.ndo_open = bnic_open,
	.ndo_stop = bnic_stop,
};

static int bnic_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct net_device *ndev = alloc_etherdev(sizeof(struct bnic_priv));
	struct bnic_priv *priv;

	if (!ndev)
		return -ENOMEM;
	priv = netdev_priv(ndev);
	priv->ndev = ndev;
	priv->pdev = pdev;
	spin_lock_init(&priv->lock);
	ndev->netdev_ops = &bnic_netdev_ops;
	netif_napi_add(ndev, &priv->napi, bnic_poll);
	pci_set_drvdata(pdev, priv);
	return register_netdev(ndev);
}

static void bnic_remove(struct pci_dev *pdev)
{
	struct bnic_priv *priv = pci_get_drvdata(pdev);

	unregister_netdev(priv->ndev);
	free_netdev(priv->ndev);
}

static const struct pci_device_id bnic_ids[] = {
	{ PCI_DEVICE(0x1234, 0xbeef) },
	{ }
};
MODULE_DEVICE_TABLE(pci, bnic_ids);

static struct pci_driver bnic_driver = {
	.name = "buggy_nic",
	.id_table = bnic_ids,
	.probe = bnic_probe,
	.remove = bnic_remove,
};
module_pci_driver(bnic_driver);
MODULE_LICENSE("GPL");
