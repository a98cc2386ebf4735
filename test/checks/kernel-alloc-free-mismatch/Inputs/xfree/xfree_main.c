#include <linux/module.h>
#include <linux/device.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "xfree.h"

int xfree_alloc(struct xfree_priv *priv, size_t n)
{
	priv->table = vmalloc(array_size(n, sizeof(u32)));
	if (!priv->table)
		return -ENOMEM;
	priv->ring = kzalloc(n, GFP_KERNEL);
	if (!priv->ring)
		goto err_table;
	priv->log = kvmalloc(n * 64, GFP_KERNEL);
	if (!priv->log)
		goto err_ring;
	priv->stats = devm_kcalloc(priv->dev, n, sizeof(u32), GFP_KERNEL);
	if (!priv->stats)
		goto err_log;
	priv->dma_buf = __get_free_pages(GFP_KERNEL, XFREE_DMA_ORDER);
	if (!priv->dma_buf)
		goto err_log;
	priv->rx_page = alloc_pages(GFP_KERNEL, XFREE_RX_ORDER);
	if (!priv->rx_page)
		goto err_dma;
	return 0;

err_dma:
	free_pages(priv->dma_buf, XFREE_DMA_ORDER);
err_log:
	kvfree(priv->log);
err_ring:
	kfree(priv->ring);
err_table:
	vfree(priv->table);
	return -ENOMEM;
}
