#include <linux/module.h>
#include <linux/io.h>
#include "xkeep.h"

/* A third file of the driver: it reads the firmware version, releases nothing. */
u32 xkeep_fw_version(struct xkeep_hw *hw)
{
	return readl(hw->regs + 0x10);
}
