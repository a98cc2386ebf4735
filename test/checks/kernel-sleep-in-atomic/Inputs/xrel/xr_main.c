#include <linux/module.h>
#include <linux/bottom_half.h>
#include "xr.h"

int xr_resume(struct xr_trans *trans);
int xr_resume(struct xr_trans *trans)
{
	/* BHs are re-enabled by xr_release_nic_access, so re-enable them if
	 * xr_grab_nic_access fails. */
	local_bh_disable();
	if (xr_grab_nic_access(trans))
		xr_release_nic_access(trans);
	else
		local_bh_enable();
	mutex_lock(&trans->mutex);	/* BHs enabled on both paths: fine */
	mutex_unlock(&trans->mutex);
	return 0;
}

int xr_poke(struct xr_trans *trans);
int xr_poke(struct xr_trans *trans)
{
	local_bh_disable();
	xr_kick(trans);
	mutex_lock(&trans->mutex);
	mutex_unlock(&trans->mutex);
	local_bh_enable();
	return 0;
}
MODULE_LICENSE("GPL");
