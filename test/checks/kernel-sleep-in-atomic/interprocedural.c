// RUN: %kdlint-kbuild --checks=-*,kernel-sleep-in-atomic %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// Sleeps found through helpers of the same file, with GFP parameters honoured.
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/delay.h>
#include <linux/skbuff.h>

struct bar_dev {
	spinlock_t lock;
	unsigned long flags;
	struct sk_buff *rx_skb;
	void *ring;
};

/* Sleeps only when the caller's mask allows it. */
static void *bar_alloc_ring(struct bar_dev *bd, size_t n, gfp_t gfp)
{
	return kcalloc(n, 64, gfp);
}

static int bar_refill_rx(struct bar_dev *bd, gfp_t gfp)
{
	bd->rx_skb = alloc_skb(2048, gfp | __GFP_NOWARN);
	return bd->rx_skb ? 0 : -ENOMEM;
}

static void bar_wait_hw(struct bar_dev *bd)
{
	msleep(2);
}

static void bar_hw_reset(struct bar_dev *bd)
{
	bar_wait_hw(bd);
}

/* Returns with bd->lock held, like many drivers' *_lock() helpers. */
static void bar_lock(struct bar_dev *bd)
{
	spin_lock_irqsave(&bd->lock, bd->flags);
}

static void bar_unlock(struct bar_dev *bd)
{
	spin_unlock_irqrestore(&bd->lock, bd->flags);
}

int bar_open(struct bar_dev *bd)
{
	unsigned long flags;

	bd->ring = bar_alloc_ring(bd, 16, GFP_KERNEL);	/* not atomic: fine */
	spin_lock_irqsave(&bd->lock, flags);
	bar_refill_rx(bd, GFP_ATOMIC);			/* fine */
	// CHECK: {{.*}}interprocedural.c:[[@LINE+1]]:2: warning: call to 'bar_refill_rx' with GFP_KERNEL may sleep while a spinlock is held [kernel-sleep-in-atomic]
	bar_refill_rx(bd, GFP_KERNEL);
	// CHECK: {{.*}}interprocedural.c:[[@LINE-4]]:2: note: spinlock 'bd->lock' acquired here by 'spin_lock_irqsave'
	// CHECK: {{.*}}interprocedural.c:[[@LINE-35]]:15: note: 'alloc_skb' allocates here with the caller's mask
	// CHECK: {{.*}}interprocedural.c:[[@LINE+1]]:2: warning: call to 'bar_hw_reset' may sleep while a spinlock is held [kernel-sleep-in-atomic]
	bar_hw_reset(bd);
	// CHECK: {{.*}}interprocedural.c:[[@LINE-8]]:2: note: spinlock 'bd->lock' acquired here by 'spin_lock_irqsave'
	// CHECK: {{.*}}interprocedural.c:[[@LINE-28]]:2: note: 'bar_hw_reset' calls 'bar_wait_hw' here
	// CHECK: {{.*}}interprocedural.c:[[@LINE-34]]:2: note: 'msleep' sleeps
	spin_unlock_irqrestore(&bd->lock, flags);
	return 0;
}

void bar_update(struct bar_dev *bd)
{
	bar_lock(bd);
	// CHECK: {{.*}}interprocedural.c:[[@LINE+1]]:13: warning: call to 'bar_alloc_ring' with GFP_KERNEL may sleep while a spinlock is held [kernel-sleep-in-atomic]
	bd->ring = bar_alloc_ring(bd, 8, GFP_KERNEL);
	// CHECK: {{.*}}interprocedural.c:[[@LINE-3]]:2: note: spinlock entered by the call to 'bar_lock' here
	// CHECK: {{.*}}interprocedural.c:[[@LINE-34]]:2: note: spinlock 'bd->lock' acquired here by 'spin_lock_irqsave'
	// CHECK: {{.*}}interprocedural.c:[[@LINE-57]]:9: note: 'kcalloc' allocates here with the caller's mask
	bar_unlock(bd);
	bar_hw_reset(bd);					/* unlocked by the helper: fine */
}
MODULE_LICENSE("GPL");
