/* A firmware-command layer in its own file whose helpers wait for the
 * device only when the caller asks them to (a `bool wait` argument, a
 * flags word): the shape of many drivers' foo_fw.c / foo_cmd.c. */
#include <linux/spinlock.h>
#include <linux/delay.h>
#include <linux/io.h>

#define XC_F_WAIT	0x1
#define XC_F_POSTED	0x2

struct xc_hw {
	spinlock_t lock;
	void __iomem *regs;
};

int xc_fw_cmd(struct xc_hw *hw, u32 cmd, bool wait);
int xc_fw_send(struct xc_hw *hw, u32 cmd, unsigned int flags);
