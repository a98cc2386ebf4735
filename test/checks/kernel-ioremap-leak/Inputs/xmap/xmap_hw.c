#include <linux/module.h>
#include <linux/io.h>
#include "xmap.h"

void xmap_unmap(struct xmap_priv *priv)
{
	iounmap(priv->fw);
	iounmap(priv->sram);
	iounmap(priv->doorbell);
	iounmap(priv->regs);
}
