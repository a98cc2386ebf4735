/* A hardware-access layer in its own file that hands the caller a lock (the
 * shape of a driver's foo_hw.c with foo_hw_lock()/foo_hw_unlock() wrappers
 * around the register lock, used by the main file). */
#include <linux/spinlock.h>
#include <linux/delay.h>

struct xa_hw {
	spinlock_t reg_lock;
	void __iomem *regs;
};

void xa_hw_lock(struct xa_hw *hw);
void xa_hw_unlock(struct xa_hw *hw);
bool xa_hw_trylock(struct xa_hw *hw);
void xa_hw_touch(struct xa_hw *hw);
