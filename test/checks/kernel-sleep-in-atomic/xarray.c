// RUN: %kdlint-kbuild --checks=-*,kernel-sleep-in-atomic %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// The __xa_*() calls take the xarray's lock held and, given a blocking mask,
// drop it to allocate (include/linux/xarray.h: "May release and reacquire
// xa_lock if @gfp flags permit"): drivers/infiniband/hw/cxgb4/cm.c's
// insert_ep_tid() is the documented idiom. Another lock held around them is
// still held while they sleep.
#include <linux/module.h>
#include <linux/xarray.h>
#include <linux/spinlock.h>
#include <linux/slab.h>

struct xa_dev {
	struct xarray hwtids;
	spinlock_t stats_lock;
	unsigned long inserted;
};

struct xa_ep {
	struct xa_dev *dev;
	u32 hwtid;
};

static int xa_insert_ep(struct xa_ep *ep)
{
	unsigned long flags;
	int err;

	xa_lock_irqsave(&ep->dev->hwtids, flags);
	err = __xa_insert(&ep->dev->hwtids, ep->hwtid, ep, GFP_KERNEL);
	xa_unlock_irqrestore(&ep->dev->hwtids, flags);
	return err;
}

static void *xa_store_ep(struct xa_dev *dev, struct xa_ep *ep)
{
	void *old;

	xa_lock(&dev->hwtids);
	old = __xa_store(&dev->hwtids, ep->hwtid, ep, GFP_KERNEL);
	xa_unlock(&dev->hwtids);
	return old;
}

/* The driver's own spinlock is held too: the allocation sleeps under it. */
static int xa_insert_counted(struct xa_ep *ep)
{
	int err;

	spin_lock(&ep->dev->stats_lock);
	xa_lock(&ep->dev->hwtids);
	// CHECK: {{.*}}xarray.c:[[@LINE+1]]:8: warning: '__xa_insert' with GFP_KERNEL may sleep while a spinlock is held [kernel-sleep-in-atomic]
	err = __xa_insert(&ep->dev->hwtids, ep->hwtid, ep, GFP_KERNEL);
	xa_unlock(&ep->dev->hwtids);
	if (!err)
		ep->dev->inserted++;
	spin_unlock(&ep->dev->stats_lock);
	// CHECK: {{.*}}xarray.c:[[@LINE-8]]:2: note: spinlock 'ep->dev->stats_lock' acquired here by 'spin_lock'
	// CHECK: {{.*}}xarray.c:[[@LINE-6]]:8: note: '__xa_insert' with GFP_KERNEL may sleep: GFP_KERNEL includes __GFP_DIRECT_RECLAIM and '__xa_insert' may allocate with it; use GFP_ATOMIC or GFP_NOWAIT here, or allocate before entering atomic context
	return err;
}

/* Another xarray's lock is not the one __xa_insert drops. */
static int xa_insert_other(struct xa_dev *a, struct xa_dev *b, struct xa_ep *ep)
{
	int err;

	xa_lock(&a->hwtids);
	// CHECK: {{.*}}xarray.c:[[@LINE+1]]:8: warning: '__xa_insert' with GFP_KERNEL may sleep while a spinlock is held [kernel-sleep-in-atomic]
	err = __xa_insert(&b->hwtids, ep->hwtid, ep, GFP_KERNEL);
	xa_unlock(&a->hwtids);
	// CHECK: {{.*}}xarray.c:[[@LINE-4]]:2: note: spinlock 'a->hwtids->xa_lock' acquired here by 'spin_lock'
	// CHECK: {{.*}}xarray.c:[[@LINE-3]]:8: note: '__xa_insert' with GFP_KERNEL may sleep
	return err;
}

/*
 * drivers/infiniband/hw/mlx5/mr.c: a helper stores into the xarray its
 * caller has locked (pop_stored_mkey() under xa_lock_irq(&ent->mkeys)). The
 * lock __xa_store() drops is the caller's: silent there; a caller holding
 * another xarray's lock is still reported.
 */
static void xa_pop_stored(struct xa_dev *dev, unsigned long idx)
{
	__xa_store(&dev->hwtids, idx, NULL, GFP_KERNEL);
}

static void xa_pop_locked(struct xa_dev *dev, unsigned long idx)
{
	xa_lock_irq(&dev->hwtids);
	xa_pop_stored(dev, idx);
	xa_unlock_irq(&dev->hwtids);
}

static void xa_pop_other(struct xa_dev *a, struct xa_dev *b, unsigned long idx)
{
	xa_lock_irq(&a->hwtids);
	// CHECK: {{.*}}xarray.c:[[@LINE+1]]:2: warning: call to 'xa_pop_stored' may sleep while a spinlock is held [kernel-sleep-in-atomic]
	xa_pop_stored(b, idx);
	xa_unlock_irq(&a->hwtids);
	// CHECK: {{.*}}xarray.c:[[@LINE-4]]:2: note: spinlock 'a->hwtids->xa_lock' acquired here by 'spin_lock_irq'
	// CHECK: {{.*}}xarray.c:[[@LINE-17]]:2: note: '__xa_store' with GFP_KERNEL may sleep
}

/*
 * A file-scope xarray (vfio_main.c's vfio_device_set_xa): a singleton made
 * under the xarray's own lock, __xa_cmpxchg() dropping it to allocate.
 */
static DEFINE_XARRAY(xa_sets);
static DEFINE_XARRAY(xa_other_sets);

static void *xa_get_set(unsigned long idx, void *new_set)
{
	void *set;

	xa_lock(&xa_sets);
	set = __xa_cmpxchg(&xa_sets, idx, NULL, new_set, GFP_KERNEL);
	xa_unlock(&xa_sets);
	return set;
}

/* The lock held is another xarray's: __xa_cmpxchg() does not drop it. */
static void *xa_get_set_other(unsigned long idx, void *new_set)
{
	void *set;

	xa_lock(&xa_other_sets);
	// CHECK: {{.*}}xarray.c:[[@LINE+1]]:8: warning: '__xa_cmpxchg' with GFP_KERNEL may sleep while a spinlock is held [kernel-sleep-in-atomic]
	set = __xa_cmpxchg(&xa_sets, idx, NULL, new_set, GFP_KERNEL);
	xa_unlock(&xa_other_sets);
	// CHECK: {{.*}}xarray.c:[[@LINE-4]]:2: note: spinlock 'xa_other_sets->xa_lock' acquired here by 'spin_lock'
	// CHECK: {{.*}}xarray.c:[[@LINE-3]]:8: note: '__xa_cmpxchg' with GFP_KERNEL may sleep
	return set;
}

int xa_use(struct xa_dev *a, struct xa_dev *b, struct xa_ep *ep);
int xa_use(struct xa_dev *a, struct xa_dev *b, struct xa_ep *ep)
{
	xa_pop_locked(a, 1);
	xa_pop_other(a, b, 2);
	if (xa_get_set(1, ep) || xa_get_set_other(2, ep))
		return 1;
	return xa_insert_ep(ep) ?: xa_insert_counted(ep) ?: xa_insert_other(a, b, ep) ?:
	       (xa_store_ep(a, ep) ? 0 : 1);
}
MODULE_LICENSE("GPL");
