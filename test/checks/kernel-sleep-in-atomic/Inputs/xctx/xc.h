/* A network driver in three files, as drivers split theirs: probe, the IRQ
 * registration and the net_device_ops table in xc_main.c; the interrupt
 * and timer code in xc_irq.c; the data path in xc_tx.c. */
#include <linux/netdevice.h>
#include <linux/interrupt.h>
#include <linux/timer.h>
#include <linux/mutex.h>

struct xc_priv {
	struct net_device *ndev;
	struct mutex cmd_lock;
	struct timer_list watchdog;
	void __iomem *regs;
};

irqreturn_t xc_isr(int irq, void *data);
irqreturn_t xc_isr_thread(int irq, void *data);
irqreturn_t xc_isr_dup(int irq, void *data);
void xc_watchdog(struct timer_list *t);
netdev_tx_t xc_start_xmit(struct sk_buff *skb, struct net_device *ndev);
int xc_open(struct net_device *ndev);
int xc_stop(struct net_device *ndev);
