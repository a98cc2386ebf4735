#include <linux/module.h>
#include "xc.h"

/* Passes its own argument on: sleeps when its caller says so. */
static int xc_do(struct xc_hw *hw, bool wait)
{
	return xc_fw_cmd(hw, 2, wait);
}

int xc_irq_ack(struct xc_hw *hw);
int xc_irq_ack(struct xc_hw *hw)
{
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&hw->lock, flags);
	ret = xc_fw_cmd(hw, 1, false);		/* posted: fine */
	ret |= xc_fw_send(hw, 1, XC_F_POSTED);	/* no wait bit: fine */
	ret |= xc_do(hw, false);		/* fine */
	spin_unlock_irqrestore(&hw->lock, flags);
	return ret;
}

int xc_reset(struct xc_hw *hw);
int xc_reset(struct xc_hw *hw)
{
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&hw->lock, flags);
	ret = xc_fw_cmd(hw, 3, true);		/* waits under the lock: a bug */
	ret |= xc_fw_send(hw, 3, XC_F_WAIT | XC_F_POSTED);	/* a bug */
	ret |= xc_do(hw, true);			/* a bug, one call down */
	spin_unlock_irqrestore(&hw->lock, flags);
	ret |= xc_fw_cmd(hw, 4, true);		/* unlocked: fine */
	return ret;
}
MODULE_LICENSE("GPL");
