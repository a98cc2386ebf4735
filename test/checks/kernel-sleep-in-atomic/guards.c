// REQUIRES: cleanup-guards
// RUN: %kdlint-kbuild --checks=-*,kernel-sleep-in-atomic %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// cleanup.h lock guards (6.5+): held until the end of their scope.
#include <linux/module.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/delay.h>

struct gdev {
	spinlock_t lock;
	struct mutex mlock;
	void *buf;
};

static void gdev_update(struct gdev *g)
{
	guard(spinlock_irqsave)(&g->lock);
	// CHECK: {{.*}}guards.c:[[@LINE+1]]:11: warning: 'kzalloc' with GFP_KERNEL may sleep while a spinlock is held [kernel-sleep-in-atomic]
	g->buf = kzalloc(32, GFP_KERNEL);
	// CHECK: {{.*}}guards.c:[[@LINE-3]]:2: note: spinlock 'g->lock' acquired here by 'guard(spinlock_irqsave)'
	// CHECK: {{.*}}guards.c:[[@LINE-2]]:11: note: 'kzalloc' with GFP_KERNEL may sleep: GFP_KERNEL includes __GFP_DIRECT_RECLAIM; use GFP_ATOMIC or GFP_NOWAIT here, or allocate before entering atomic context
}

static void gdev_scoped(struct gdev *g)
{
	scoped_guard(spinlock, &g->lock) {
		g->buf = NULL;
		// CHECK: {{.*}}guards.c:[[@LINE+1]]:3: warning: sleeping function 'msleep' called while a spinlock is held [kernel-sleep-in-atomic]
		msleep(1);
		// CHECK: {{.*}}guards.c:[[@LINE-4]]:2: note: spinlock 'g->lock' acquired here by 'guard(spinlock)'
		// CHECK: {{.*}}guards.c:[[@LINE-2]]:3: note: 'msleep' sleeps
	}
	msleep(1);					/* scope ended: fine */
}

static void gdev_mutex(struct gdev *g)
{
	guard(mutex)(&g->mlock);
	msleep(1);					/* a mutex may sleep: fine */
}

void gdev_entry(struct gdev *g)
{
	gdev_update(g);
	gdev_scoped(g);
	gdev_mutex(g);
}
MODULE_LICENSE("GPL");
