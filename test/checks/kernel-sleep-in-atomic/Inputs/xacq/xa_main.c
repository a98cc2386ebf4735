#include <linux/module.h>
#include <linux/io.h>
#include "xa.h"

int xa_reset(struct xa_hw *hw);
int xa_reset(struct xa_hw *hw)
{
	xa_hw_lock(hw);
	writel(0, hw->regs);
	msleep(10);		/* under reg_lock with interrupts off: a bug */
	writel(1, hw->regs);
	xa_hw_unlock(hw);
	return 0;
}

int xa_poll(struct xa_hw *hw);
int xa_poll(struct xa_hw *hw)
{
	xa_hw_lock(hw);
	udelay(10);		/* busy-waits: fine */
	xa_hw_unlock(hw);
	msleep(10);		/* after the unlock: fine */
	xa_hw_touch(hw);
	msleep(10);		/* xa_hw_touch() holds nothing on return: fine */
	if (xa_hw_trylock(hw))
		spin_unlock(&hw->reg_lock);
	msleep(10);		/* released on the path that took it: fine */
	return 0;
}
MODULE_LICENSE("GPL");
