#include <linux/io.h>
#include "xa.h"

void xa_hw_lock(struct xa_hw *hw)
{
	spin_lock_irq(&hw->reg_lock);
}

void xa_hw_unlock(struct xa_hw *hw)
{
	spin_unlock_irq(&hw->reg_lock);
}

/* Holds the lock only when it returns true. */
bool xa_hw_trylock(struct xa_hw *hw)
{
	return spin_trylock(&hw->reg_lock);
}

/* Takes and drops the lock: holds nothing on return. */
void xa_hw_touch(struct xa_hw *hw)
{
	spin_lock(&hw->reg_lock);
	writel(1, hw->regs);
	spin_unlock(&hw->reg_lock);
}
