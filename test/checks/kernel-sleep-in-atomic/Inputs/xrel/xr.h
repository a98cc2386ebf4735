/* A transport layer in its own file that hands the caller a lock (the
 * pattern of iwlwifi's pcie/trans.c): grab_nic_access takes reg_lock with
 * the caller's bottom halves already disabled, release_nic_access drops it
 * with spin_unlock_bh(), which enables them again. */
#include <linux/spinlock.h>
#include <linux/mutex.h>

struct xr_trans {
	spinlock_t reg_lock;
	struct mutex mutex;
	bool awake;
};

bool xr_grab_nic_access(struct xr_trans *trans);
void xr_release_nic_access(struct xr_trans *trans);
void xr_kick(struct xr_trans *trans);
