#include "xr.h"

bool xr_grab_nic_access(struct xr_trans *trans)
{
	spin_lock(&trans->reg_lock);
	if (!trans->awake) {
		spin_unlock(&trans->reg_lock);
		return false;
	}
	return true;
}

void xr_release_nic_access(struct xr_trans *trans)
{
	trans->awake = false;
	spin_unlock_bh(&trans->reg_lock);
}

/* Leaves nothing of its caller's. */
void xr_kick(struct xr_trans *trans)
{
	trans->awake = true;
}
