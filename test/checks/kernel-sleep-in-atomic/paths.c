// RUN: %kdlint-kbuild --checks=-*,kernel-sleep-in-atomic %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// Path sensitivity drivers rely on, and the other atomic contexts.
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/rcupdate.h>
#include <linux/vmalloc.h>
#include <linux/firmware.h>
#include <linux/workqueue.h>

struct qux {
	spinlock_t lock;
	struct work_struct work;
	struct page *page;
	void *buf;
	int pending;
};

static int qux_try(struct qux *q)
{
	if (!spin_trylock(&q->lock))
		return -EBUSY;
	// CHECK: {{.*}}paths.c:[[@LINE+1]]:11: warning: 'kmalloc' with GFP_KERNEL may sleep while a spinlock is held [kernel-sleep-in-atomic]
	q->buf = kmalloc(32, GFP_KERNEL);
	// CHECK: {{.*}}paths.c:[[@LINE-4]]:7: note: spinlock 'q->lock' acquired here by 'spin_trylock' (the branch where it succeeded)
	// CHECK: {{.*}}paths.c:[[@LINE-2]]:11: note: 'kmalloc' with GFP_KERNEL may sleep: GFP_KERNEL includes __GFP_DIRECT_RECLAIM; use GFP_ATOMIC or GFP_NOWAIT here, or allocate before entering atomic context
	spin_unlock(&q->lock);
	msleep(1);					/* fine */
	return 0;
}

static void qux_try_irqsave(struct qux *q)
{
	unsigned long flags;

	if (spin_trylock_irqsave(&q->lock, flags)) {
		q->pending = 0;
		spin_unlock_irqrestore(&q->lock, flags);
	} else {
		msleep(1);				/* lock not taken: fine */
	}
}

/* Blocks only when the caller's mask says so. */
static void *qux_get_buf(struct qux *q, gfp_t gfp)
{
	if (gfpflags_allow_blocking(gfp))
		msleep(1);
	return kmalloc(64, gfp);
}

static void qux_flush(struct qux *q)
{
	if (in_interrupt())
		return;
	flush_work(&q->work);
}

static void qux_contexts(struct qux *q, const struct firmware **fw)
{
	unsigned long flags;
	void *va;
	int cpu;

	spin_lock(&q->lock);
	q->buf = qux_get_buf(q, GFP_ATOMIC);		/* fine */
	// CHECK: {{.*}}paths.c:[[@LINE+1]]:11: warning: call to 'qux_get_buf' with GFP_KERNEL may sleep while a spinlock is held [kernel-sleep-in-atomic]
	q->buf = qux_get_buf(q, GFP_KERNEL);
	// CHECK: {{.*}}paths.c:[[@LINE-4]]:2: note: spinlock 'q->lock' acquired here by 'spin_lock'
	// CHECK: {{.*}}paths.c:[[@LINE-21]]:9: note: 'kmalloc' allocates here with the caller's mask
	// CHECK: {{.*}}paths.c:[[@LINE+1]]:2: warning: call to 'qux_flush' may sleep while a spinlock is held [kernel-sleep-in-atomic]
	qux_flush(q);					/* in_interrupt() is false here */
	// CHECK: {{.*}}paths.c:[[@LINE-8]]:2: note: spinlock 'q->lock' acquired here by 'spin_lock'
	// CHECK: {{.*}}paths.c:[[@LINE-18]]:2: note: 'flush_work' waits for other CPUs or pending work
	spin_unlock(&q->lock);

	local_irq_save(flags);
	// CHECK: {{.*}}paths.c:[[@LINE+1]]:2: warning: sleeping function 'request_firmware' called while interrupts are disabled [kernel-sleep-in-atomic]
	request_firmware(fw, "qux.bin", NULL);
	// CHECK: {{.*}}paths.c:[[@LINE-3]]:2: note: interrupts disabled here by 'local_irq_save'
	// CHECK: {{.*}}paths.c:[[@LINE-2]]:2: note: 'request_firmware' may sleep (allocates and can wait for the resource)
	local_irq_restore(flags);

	cpu = get_cpu();
	// CHECK: {{.*}}paths.c:[[@LINE+1]]:11: warning: sleeping function 'vmalloc' called while preemption is disabled [kernel-sleep-in-atomic]
	q->buf = vmalloc(4096);
	// CHECK: {{.*}}paths.c:[[@LINE-3]]:8: note: preemption disabled here by 'get_cpu'
	// CHECK: {{.*}}paths.c:[[@LINE-2]]:11: note: 'vmalloc' may sleep (allocates and can wait for the resource)
	put_cpu();

	rcu_read_lock();
	// CHECK: {{.*}}paths.c:[[@LINE+1]]:2: warning: sleeping function 'synchronize_rcu' called while inside an RCU read-side critical section [kernel-sleep-in-atomic]
	synchronize_rcu();
	// CHECK: {{.*}}paths.c:[[@LINE-3]]:2: note: RCU read-side critical section entered here by 'rcu_read_lock'
	// CHECK: {{.*}}paths.c:[[@LINE-2]]:2: note: 'synchronize_rcu' waits for other CPUs or pending work
	rcu_read_unlock();

	va = kmap_atomic(q->page);
	// CHECK: {{.*}}paths.c:[[@LINE+1]]:11: warning: 'kmalloc' with GFP_NOIO may sleep while inside a kmap_atomic() section [kernel-sleep-in-atomic]
	q->buf = kmalloc(16, GFP_NOIO);
	// CHECK: {{.*}}paths.c:[[@LINE-3]]:7: note: kmap_atomic() section entered here by 'kmap_atomic'
	// CHECK: {{.*}}paths.c:[[@LINE-2]]:11: note: 'kmalloc' with GFP_NOIO may sleep: GFP_NOIO includes __GFP_DIRECT_RECLAIM; use GFP_ATOMIC or GFP_NOWAIT here, or allocate before entering atomic context
	kunmap_atomic(va);

	preempt_disable();
	if (!preemptible())
		q->pending = cpu;
	preempt_enable();
	msleep(1);					/* everything left: fine */
}

static struct qux *qux_global;

static void qux_timer(struct timer_list *t)
{
	qux_flush(qux_global);				/* in_interrupt() is true here: fine */
}

void qux_entry(struct qux *q, const struct firmware **fw, struct timer_list *t)
{
	timer_setup(t, qux_timer, 0);
	qux_try(q);
	qux_try_irqsave(q);
	qux_contexts(q, fw);
}
MODULE_LICENSE("GPL");
