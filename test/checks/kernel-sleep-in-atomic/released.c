// RUN: %kdlint-kbuild --checks=-*,kernel-sleep-in-atomic %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// Helpers that leave the caller's lock before they sleep: around the sleep, or
// for good. The sleep does not happen under the lock, so nothing is reported;
// a helper that sleeps with the lock still held is.
#include <linux/module.h>
#include <linux/spinlock.h>
#include <linux/delay.h>
#include <linux/wait.h>
#include <linux/sched.h>

struct qdev {
	spinlock_t lock;
	spinlock_t stat_lock;
	wait_queue_head_t wq;
	int pending;
	unsigned long flags;
};

/* Called with qd->lock held; drops it around the sleep, returns with it held. */
static void qdev_wait_idle(struct qdev *qd)
	__must_hold(&qd->lock)
{
	while (qd->pending) {
		spin_unlock_irq(&qd->lock);
		msleep(1);
		spin_lock_irq(&qd->lock);
	}
}

/* Called with the lock held; releases it for good, then sleeps. */
static void qdev_unlock_and_flush(struct qdev *qd)
	__releases(&qd->lock)
{
	spin_unlock_irqrestore(&qd->lock, qd->flags);
	wait_event(qd->wq, !qd->pending);
}

/* Drops a lock through a driver macro over its parameter. */
#define QDEV_UNLOCK(q)	spin_unlock_irq(&(q)->lock)
#define QDEV_LOCK(q)	spin_lock_irq(&(q)->lock)

static void qdev_settle(struct qdev *q)
{
	QDEV_UNLOCK(q);
	usleep_range(50, 100);
	QDEV_LOCK(q);
}

/* Sleeps with whatever the caller holds still held. */
static void qdev_slow_reset(struct qdev *qd)
{
	msleep(10);
}

void qdev_flush(struct qdev *qd)
{
	spin_lock_irq(&qd->lock);
	qdev_wait_idle(qd);				/* drops qd->lock first: fine */
	qdev_settle(qd);				/* the same, through macros: fine */
	spin_unlock_irq(&qd->lock);

	spin_lock_irqsave(&qd->lock, qd->flags);
	qdev_unlock_and_flush(qd);			/* unlocks for good: fine */
}

void qdev_reset(struct qdev *qd)
{
	spin_lock_irq(&qd->lock);
	// CHECK: {{.*}}released.c:[[@LINE+1]]:2: warning: call to 'qdev_slow_reset' may sleep while a spinlock is held [kernel-sleep-in-atomic]
	qdev_slow_reset(qd);
	// CHECK: {{.*}}released.c:[[@LINE-3]]:2: note: spinlock 'qd->lock' acquired here by 'spin_lock_irq'
	// CHECK: {{.*}}released.c:[[@LINE-20]]:2: note: 'msleep' sleeps
	spin_unlock_irq(&qd->lock);
}

void qdev_two_locks(struct qdev *qd)
{
	spin_lock(&qd->stat_lock);
	spin_lock_irq(&qd->lock);
	// CHECK: {{.*}}released.c:[[@LINE+1]]:2: warning: call to 'qdev_wait_idle' may sleep while a spinlock is held [kernel-sleep-in-atomic]
	qdev_wait_idle(qd);				/* drops qd->lock, not stat_lock */
	// CHECK: {{.*}}released.c:[[@LINE-4]]:2: note: spinlock 'qd->stat_lock' acquired here by 'spin_lock'
	// CHECK: {{.*}}released.c:[[@LINE-58]]:3: note: 'msleep' sleeps
	spin_unlock_irq(&qd->lock);
	spin_unlock(&qd->stat_lock);
}
/* Defined in another file of the driver: */
void qdev_hw_unlock(struct qdev *qd);				/* a *_unlock helper */
void qdev_stats_done(struct qdev *qd) __releases(&qd->stat_lock);	/* annotated */

void qdev_stats(struct qdev *qd)
{
	spin_lock(&qd->lock);
	qdev_hw_unlock(qd);				/* leaves qd->lock */
	msleep(1);					/* fine */

	spin_lock(&qd->stat_lock);
	qdev_stats_done(qd);				/* __releases(&qd->stat_lock) */
	msleep(1);					/* fine */
}

/* A driver macro over the locking macro: the key is the driver's lock. */
#define QDEV_LOCK_SAVE(q, f)	spin_lock_irqsave(&(q)->lock, f)

void qdev_kick(struct qdev *qd)
{
	unsigned long flags;

	QDEV_LOCK_SAVE(qd, flags);
	// CHECK: {{.*}}released.c:[[@LINE+1]]:2: warning: sleeping function 'msleep' called while a spinlock is held [kernel-sleep-in-atomic]
	msleep(1);
	// CHECK: {{.*}}released.c:[[@LINE-3]]:2: note: spinlock 'qd->lock' acquired here by 'spin_lock_irqsave'
	// CHECK: {{.*}}released.c:[[@LINE-2]]:2: note: 'msleep' sleeps
	spin_unlock_irqrestore(&qd->lock, flags);
	msleep(1);					/* fine */
}
MODULE_LICENSE("GPL");
