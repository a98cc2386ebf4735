#include <linux/module.h>
#include <linux/slab.h>
#include "xfree.h"

void xfree_teardown(struct xfree_priv *priv)
{
	kfree(priv->stats);
	kvfree(priv->log);
	kfree(priv->ring);
	kfree(priv->table);
	free_pages(priv->dma_buf, 1);
	__free_pages(priv->rx_page, XFREE_RX_ORDER);
}
