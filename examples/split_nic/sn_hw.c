// SPDX-License-Identifier: GPL-2.0
/* Hardware helpers: registers, and what goes through the firmware. */
#include <linux/io.h>
#include <linux/slab.h>
#include <linux/platform_device.h>
#include "sn.h"

#define SN_IRQ_STATUS	0x00
#define SN_IRQ_ACK	0x04
#define SN_TX_DOORBELL	0x10

u32 sn_hw_irq_status(struct sn_priv *priv)
{
	return readl(priv->regs + SN_IRQ_STATUS);
}

/* The interrupt is acknowledged through the firmware. */
void sn_hw_ack_irq(struct sn_priv *priv)
{
	sn_mbox_cmd(priv, SN_CMD_ACK, 0);
}

void sn_hw_kick_tx(struct sn_priv *priv)
{
	writel(1, priv->regs + SN_TX_DOORBELL);
}

static int sn_hw_fw_reset(struct sn_priv *priv)
{
	return sn_mbox_cmd(priv, SN_CMD_RESET, 0);
}

int sn_hw_reset(struct sn_priv *priv)
{
	writel(0, priv->regs + SN_IRQ_ACK);
	return sn_hw_fw_reset(priv);
}

void sn_hw_teardown(struct sn_priv *priv)
{
	kfree(priv->stats);
	priv->stats = NULL;
}

/* The packet buffer SRAM behind the second resource. */
int sn_hw_map_sram(struct sn_priv *priv, struct platform_device *pdev)
{
	struct resource *res = platform_get_resource(pdev, IORESOURCE_MEM, 1);

	if (!res)
		return -ENODEV;
	priv->sram = ioremap(res->start, resource_size(res));	/* bug: nothing unmaps it */
	return priv->sram ? 0 : -ENOMEM;
}
