#include <linux/module.h>
#include <linux/delay.h>
#include "xd.h"

/* Called with hw->lock held: drops it while it waits for the aborts. */
void xd_abort_wait(struct xd_hw *hw)
{
	while (hw->pending) {
		spin_unlock_irq(&hw->lock);
		msleep(2000);
		spin_lock_irq(&hw->lock);
	}
}

/* Waits with whatever its caller holds still held. */
void xd_flush_wait(struct xd_hw *hw)
{
	while (hw->pending)
		msleep(2000);
}
