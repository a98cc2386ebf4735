/* A driver in two files (csiostor's shape): xd_main.c holds hw->lock and
 * calls helpers of xd_scsi.c; one of them drops that lock around its wait. */
#include <linux/spinlock.h>

struct xd_hw {
	spinlock_t lock;
	int pending;
};

void xd_abort_wait(struct xd_hw *hw);
void xd_flush_wait(struct xd_hw *hw);
