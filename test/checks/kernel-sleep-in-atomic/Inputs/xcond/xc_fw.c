#include "xc.h"

int xc_fw_cmd(struct xc_hw *hw, u32 cmd, bool wait)
{
	writel(cmd, hw->regs);
	if (wait)
		msleep(20);
	return readl(hw->regs + 4);
}

int xc_fw_send(struct xc_hw *hw, u32 cmd, unsigned int flags)
{
	writel(cmd, hw->regs);
	if (flags & XC_F_WAIT)
		usleep_range(100, 200);
	else
		udelay(5);
	return 0;
}
