// RUN: %kdlint-kbuild --checks=-*,kernel-sleep-in-atomic %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// Sleeping calls under spinlocks, as drivers write them.
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/delay.h>
#include <linux/mutex.h>
#include <linux/uaccess.h>
#include <linux/netdevice.h>

struct foo_priv {
	spinlock_t lock;
	struct mutex cfg_lock;
	void *buf;
	u32 stats[16];
	int busy;
};

static int foo_refill(struct foo_priv *priv)
{
	unsigned long flags;

	spin_lock_irqsave(&priv->lock, flags);
	// CHECK: {{.*}}locks.c:[[@LINE+1]]:14: warning: 'kmalloc' with GFP_KERNEL may sleep while a spinlock is held [kernel-sleep-in-atomic]
	priv->buf = kmalloc(4096, GFP_KERNEL);
	// CHECK: {{.*}}locks.c:[[@LINE-3]]:2: note: spinlock 'priv->lock' acquired here by 'spin_lock_irqsave'
	// CHECK: {{.*}}locks.c:[[@LINE-2]]:14: note: 'kmalloc' with GFP_KERNEL may sleep: GFP_KERNEL includes __GFP_DIRECT_RECLAIM; use GFP_ATOMIC or GFP_NOWAIT here, or allocate before entering atomic context
	spin_unlock_irqrestore(&priv->lock, flags);
	return priv->buf ? 0 : -ENOMEM;
}

static int foo_refill_ok(struct foo_priv *priv)
{
	unsigned long flags;
	void *buf = kzalloc(4096, GFP_KERNEL);	/* before the lock: fine */

	if (!buf)
		return -ENOMEM;
	spin_lock_irqsave(&priv->lock, flags);
	priv->buf = buf;
	spin_unlock_irqrestore(&priv->lock, flags);
	return 0;
}

static void *foo_alloc_atomic(struct foo_priv *priv)
{
	void *p;

	spin_lock(&priv->lock);
	p = kzalloc(64, GFP_ATOMIC);			/* fine */
	spin_unlock(&priv->lock);
	msleep(10);					/* after unlock: fine */
	return p;
}

static int foo_reset(struct foo_priv *priv)
{
	spin_lock_bh(&priv->lock);
	if (priv->busy) {
		spin_unlock_bh(&priv->lock);
		msleep(20);				/* early-return path, unlocked: fine */
		return -EBUSY;
	}
	// CHECK: {{.*}}locks.c:[[@LINE+1]]:2: warning: sleeping function 'mutex_lock' called while a spinlock is held with bottom halves disabled [kernel-sleep-in-atomic]
	mutex_lock(&priv->cfg_lock);
	// CHECK: {{.*}}locks.c:[[@LINE-8]]:2: note: spinlock 'priv->lock' acquired here by 'spin_lock_bh'
	// CHECK: {{.*}}locks.c:[[@LINE-2]]:2: note: 'mutex_lock' may sleep acquiring a mutex
	priv->busy = 1;
	mutex_unlock(&priv->cfg_lock);
	spin_unlock_bh(&priv->lock);
	return 0;
}

static long foo_get_stats(struct foo_priv *priv, void __user *arg)
{
	long ret = 0;

	spin_lock_irq(&priv->lock);
	// CHECK: {{.*}}locks.c:[[@LINE+3]]:6: warning: sleeping function 'copy_to_user' called while a spinlock is held [kernel-sleep-in-atomic]
	// CHECK: {{.*}}locks.c:[[@LINE-2]]:2: note: spinlock 'priv->lock' acquired here by 'spin_lock_irq'
	// CHECK: {{.*}}locks.c:[[@LINE+1]]:6: note: 'copy_to_user' may fault and sleep accessing user memory
	if (copy_to_user(arg, priv->stats, sizeof(priv->stats)))
		ret = -EFAULT;
	spin_unlock_irq(&priv->lock);
	return ret;
}

static void foo_two_locks(struct foo_priv *a, struct foo_priv *b)
{
	spin_lock(&a->lock);
	spin_lock(&b->lock);
	spin_unlock(&a->lock);
	udelay(5);					/* busy-wait: fine */
	// CHECK: {{.*}}locks.c:[[@LINE+1]]:2: warning: sleeping function 'usleep_range' called while a spinlock is held [kernel-sleep-in-atomic]
	usleep_range(100, 200);				/* b->lock still held */
	// CHECK: {{.*}}locks.c:[[@LINE-5]]:2: note: spinlock 'b->lock' acquired here by 'spin_lock'
	// CHECK: {{.*}}locks.c:[[@LINE-2]]:2: note: 'usleep_range' sleeps
	spin_unlock(&b->lock);
	usleep_range(100, 200);				/* fine */
}

int foo_entry(struct foo_priv *p, void __user *arg)
{
	foo_two_locks(p, p);
	foo_alloc_atomic(p);
	foo_refill_ok(p);
	foo_get_stats(p, arg);
	foo_reset(p);
	return foo_refill(p);
}
MODULE_LICENSE("GPL");
