/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SN_H
#define SN_H
#include <linux/netdevice.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

struct sn_priv {
	struct net_device *ndev;
	void __iomem *regs;
	void __iomem *sram;	/* ioremap() by sn_hw_map_sram(): never unmapped */
	spinlock_t tx_lock;	/* the TX ring, taken from the IRQ handler */
	struct mutex mbox_lock;	/* the firmware mailbox: sleeps */
	u32 *stats;		/* vmalloc(): freed by sn_hw_teardown() */
	unsigned int nstats;
};

/* sn_hw.c */
void sn_hw_ack_irq(struct sn_priv *priv);
u32 sn_hw_irq_status(struct sn_priv *priv);
void sn_hw_kick_tx(struct sn_priv *priv);
int sn_hw_reset(struct sn_priv *priv);
void sn_hw_teardown(struct sn_priv *priv);
struct platform_device;
int sn_hw_map_sram(struct sn_priv *priv, struct platform_device *pdev);

/* sn_mbox.c */
int sn_mbox_cmd(struct sn_priv *priv, u32 cmd, u32 arg);

#define SN_CMD_ACK	0x01
#define SN_CMD_RESET	0x02
#endif
