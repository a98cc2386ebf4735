#include <linux/module.h>
#include <linux/slab.h>
#include "xfree.h"

void xfree_teardown(struct xfree_priv *priv)
{
	kfree(priv->stats);
	kvfree(priv->log);
	kfree(priv->ring);
	kfree(priv->table);
}
