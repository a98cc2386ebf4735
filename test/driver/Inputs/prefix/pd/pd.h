/* A PCI driver's private header, which each of its files includes first: the
 * shared prefix of its files, precompiled once for them. What the driver's
 * files need from it was written here, not in the file: the __iomem field,
 * the __releases() annotation. */
#ifndef PD_H
#define PD_H

#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/pci.h>
#include <linux/spinlock.h>

struct pd_priv {
	struct pci_dev *pdev;
	void __iomem *regs;
	u32 *shadow;
	spinlock_t lock;
};

void pd_stats_done(struct pd_priv *p) __releases(&p->lock);
void pd_sync(struct pd_priv *p);
irqreturn_t pd_irq(int irq, void *data);

#endif /* PD_H */
