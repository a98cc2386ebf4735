#include <linux/module.h>
#include <linux/pci.h>
#include "xc.h"

static const struct net_device_ops xc_netdev_ops = {
	.ndo_open = xc_open,
	.ndo_stop = xc_stop,
	.ndo_start_xmit = xc_start_xmit,
};

int xc_setup(struct pci_dev *pdev, struct xc_priv *p)
{
	int err;

	p->ndev->netdev_ops = &xc_netdev_ops;
	timer_setup(&p->watchdog, xc_watchdog, 0);
	err = request_irq(pdev->irq, xc_isr, IRQF_SHARED, "xc", p);
	if (err)
		return err;
	err = request_threaded_irq(pdev->irq, NULL, xc_isr_thread, IRQF_ONESHOT,
				   "xc-thread", p);
	if (err)
		return err;
	return request_irq(pdev->irq, xc_isr_dup, IRQF_SHARED, "xc-dup", p);
}
