#include <linux/module.h>
#include "xd.h"

void xd_cleanup(struct xd_hw *hw)
{
	spin_lock_irq(&hw->lock);
	xd_abort_wait(hw);		/* drops hw->lock to sleep: fine */
	xd_flush_wait(hw);		/* sleeps under hw->lock: the bug */
	spin_unlock_irq(&hw->lock);
}
