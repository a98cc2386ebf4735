// RUN: %kdlint-kbuild --checks=-*,kernel-sleep-in-atomic %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// Waits that drop the lock (wait_event_lock_irq), locks named through pointer
// arithmetic, helpers that drop the caller's lock in a loop, and seqcount write
// sections: the patterns of drivers/md/raid5.c.
#include <linux/module.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/sched.h>
#include <linux/seqlock.h>
#include <linux/delay.h>
#include <linux/timer.h>

#define NR_HASH_LOCKS	8

struct r5c {
	spinlock_t device_lock;
	spinlock_t hash_locks[NR_HASH_LOCKS];
	seqcount_spinlock_t gen_lock;
	wait_queue_head_t wait_quiescent;
	int quiesce, pending, generation;
};

static void r5c_get(struct r5c *conf, int hash)
{
	spin_lock_irq(conf->hash_locks + hash);
	for (;;) {
		if (conf->quiesce)
			wait_event_lock_irq(conf->wait_quiescent, !conf->quiesce,
					    *(conf->hash_locks + hash));	/* drops it: fine */
		if (!conf->pending)
			break;
	}
	spin_unlock_irq(conf->hash_locks + hash);
}

/* Called with device_lock held: drops it around the sleep. */
static int r5c_handle(struct r5c *conf)
	__must_hold(&conf->device_lock)
{
	int n = conf->pending;

	spin_unlock_irq(&conf->device_lock);
	cond_resched();
	spin_lock_irq(&conf->device_lock);
	return n;
}

static void r5c_work(struct r5c *conf)
{
	spin_lock_irq(&conf->device_lock);
	while (1) {
		if (!r5c_handle(conf))				/* fine */
			break;
		wait_event_lock_irq(conf->wait_quiescent, !conf->quiesce,
				    conf->device_lock);		/* fine */
	}
	spin_unlock_irq(&conf->device_lock);
}

static void r5c_reshape(struct r5c *conf)
{
	spin_lock_irq(&conf->device_lock);
	write_seqcount_begin(&conf->gen_lock);
	conf->generation++;
	// CHECK: {{.*}}lockwait.c:[[@LINE+1]]:2: warning: sleeping function 'msleep' called while a spinlock is held [kernel-sleep-in-atomic]
	msleep(1);
	// CHECK: {{.*}}lockwait.c:[[@LINE-5]]:2: note: spinlock 'conf->device_lock' acquired here by 'spin_lock_irq'
	// CHECK: {{.*}}lockwait.c:[[@LINE-2]]:2: note: 'msleep' sleeps
	write_seqcount_end(&conf->gen_lock);
	spin_unlock_irq(&conf->device_lock);
	msleep(1);					/* after the section: fine */
}

/* drivers/gpu/drm/drm_debugfs_crc.c: the interruptible variant drops its lock too. */
static int r5c_read(struct r5c *conf)
{
	int ret;

	spin_lock_irq(&conf->device_lock);
	ret = wait_event_interruptible_lock_irq(conf->wait_quiescent, conf->pending,
						conf->device_lock);	/* fine */
	spin_unlock_irq(&conf->device_lock);
	return ret;
}

/* ... but not a lock held around it that it was not given. */
static int r5c_read_hashed(struct r5c *conf)
{
	int ret;

	spin_lock(&conf->hash_locks[0]);
	spin_lock_irq(&conf->device_lock);
	// CHECK: {{.*}}lockwait.c:[[@LINE+1]]:8: warning: sleeping function 'wait_event_interruptible_lock_irq_timeout' called while a spinlock is held [kernel-sleep-in-atomic]
	ret = wait_event_interruptible_lock_irq_timeout(conf->wait_quiescent, conf->pending,
							conf->device_lock, HZ);
	spin_unlock_irq(&conf->device_lock);
	spin_unlock(&conf->hash_locks[0]);
	// CHECK: {{.*}}lockwait.c:[[@LINE-7]]:2: note: spinlock 'conf->hash_locks[0]' acquired here by 'spin_lock'
	// CHECK: {{.*}}lockwait.c:[[@LINE-5]]:8: note: 'wait_event_interruptible_lock_irq_timeout' waits for an event
	return ret;
}

/* del_timer_sync() spins while the callback runs (no PREEMPT_RT): not a sleep. */
int r5c_reads(struct r5c *conf);
int r5c_reads(struct r5c *conf)
{
	return r5c_read(conf) + r5c_read_hashed(conf);
}

void r5c_stop(struct r5c *conf, struct timer_list *t)
{
	spin_lock_irq(&conf->device_lock);
	del_timer_sync(t);				/* fine */
	spin_unlock_irq(&conf->device_lock);
}

void r5c_run(struct r5c *conf)
{
	r5c_get(conf, 1);
	r5c_work(conf);
	r5c_reshape(conf);
}
MODULE_LICENSE("GPL");
