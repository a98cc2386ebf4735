// SPDX-License-Identifier: GPL-2.0
/* The firmware mailbox: one command at a time, waiting for the reply. */
#include <linux/delay.h>
#include <linux/io.h>
#include "sn.h"

#define SN_MBOX_CMD	0x100
#define SN_MBOX_ARG	0x104
#define SN_MBOX_DONE	0x108

int sn_mbox_cmd(struct sn_priv *priv, u32 cmd, u32 arg)
{
	int tries = 100;

	mutex_lock(&priv->mbox_lock);
	writel(arg, priv->regs + SN_MBOX_ARG);
	writel(cmd, priv->regs + SN_MBOX_CMD);
	while (!readl(priv->regs + SN_MBOX_DONE) && --tries)
		usleep_range(100, 200);
	mutex_unlock(&priv->mbox_lock);
	return tries ? 0 : -ETIMEDOUT;
}
