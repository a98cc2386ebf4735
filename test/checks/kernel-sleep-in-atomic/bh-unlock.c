// RUN: %kdlint-kbuild --checks=-*,kernel-sleep-in-atomic %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// spin_unlock_bh() is spin_unlock() then local_bh_enable(): of a lock taken
// with plain spin_lock() under local_bh_disable(), it ends the bottom-half
// section too; of a lock taken with spin_lock_bh(), it only undoes that one.
#include <linux/module.h>
#include <linux/spinlock.h>
#include <linux/bottom_half.h>
#include <linux/mutex.h>

struct bu_dev {
	spinlock_t reg_lock;
	struct mutex mutex;
	int awake;
};

int bu_wake(struct bu_dev *d);
int bu_wake(struct bu_dev *d)
{
	local_bh_disable();
	spin_lock(&d->reg_lock);
	d->awake = 1;
	spin_unlock_bh(&d->reg_lock);
	mutex_lock(&d->mutex);		/* BHs enabled again: fine */
	mutex_unlock(&d->mutex);
	return 0;
}

int bu_nested(struct bu_dev *d);
int bu_nested(struct bu_dev *d)
{
	local_bh_disable();
	spin_lock_bh(&d->reg_lock);
	d->awake = 1;
	spin_unlock_bh(&d->reg_lock);
	// CHECK: {{.*}}bh-unlock.c:[[@LINE+1]]:2: warning: sleeping function 'mutex_lock' called while bottom halves are disabled [kernel-sleep-in-atomic]
	mutex_lock(&d->mutex);
	// CHECK: {{.*}}bh-unlock.c:[[@LINE-6]]:2: note: bottom halves disabled here by 'local_bh_disable'
	// CHECK: {{.*}}bh-unlock.c:[[@LINE-2]]:2: note: 'mutex_lock' may sleep acquiring a mutex
	mutex_unlock(&d->mutex);
	local_bh_enable();
	return 0;
}
MODULE_LICENSE("GPL");
