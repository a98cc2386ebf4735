// RUN: %kdlint-kbuild --checks=-*,kernel-sleep-in-atomic %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// A GFP mask travels: held in a local variable, or handed to a function that
// allocates with it (kfifo_alloc(), sg_alloc_table_from_pages(), a helper of
// the driver). A mask that allows blocking allows whoever receives it to
// sleep; GFP_ATOMIC does not, and neither does the idr_preload() pattern.
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/kfifo.h>
#include <linux/idr.h>
#include <linux/scatterlist.h>

struct gf_dev {
	spinlock_t lock;
	struct kfifo events;
	struct idr handles;
	struct sg_table sgt;
	struct page **pages;
	void *scratch;
};

void gf_reset_events(struct gf_dev *d)
{
	spin_lock(&d->lock);
	kfifo_free(&d->events);
	// CHECK: {{.*}}gfp-flow.c:[[@LINE+1]]:6: warning: 'kfifo_alloc' with GFP_KERNEL may sleep while a spinlock is held [kernel-sleep-in-atomic]
	if (kfifo_alloc(&d->events, 256, GFP_KERNEL))
		d->scratch = NULL;
	spin_unlock(&d->lock);
	// CHECK: {{.*}}gfp-flow.c:[[@LINE-6]]:2: note: spinlock 'd->lock' acquired here by 'spin_lock'
	// CHECK: {{.*}}gfp-flow.c:[[@LINE-4]]:6: note: 'kfifo_alloc' with GFP_KERNEL may sleep: GFP_KERNEL includes __GFP_DIRECT_RECLAIM and 'kfifo_alloc' may allocate with it; use GFP_ATOMIC or GFP_NOWAIT here, or allocate before entering atomic context
}

void gf_scratch(struct gf_dev *d)
{
	gfp_t gfp = GFP_KERNEL | __GFP_ZERO;

	spin_lock(&d->lock);
	// CHECK: {{.*}}gfp-flow.c:[[@LINE+1]]:15: warning: 'kmalloc' with gfp (GFP_KERNEL | __GFP_ZERO) may sleep while a spinlock is held [kernel-sleep-in-atomic]
	d->scratch = kmalloc(64, gfp);
	spin_unlock(&d->lock);
	// CHECK: {{.*}}gfp-flow.c:[[@LINE-4]]:2: note: spinlock 'd->lock' acquired here by 'spin_lock'
	// CHECK: {{.*}}gfp-flow.c:[[@LINE-3]]:15: note: 'kmalloc' with gfp (GFP_KERNEL | __GFP_ZERO) may sleep: gfp (GFP_KERNEL | __GFP_ZERO) includes __GFP_DIRECT_RECLAIM; use GFP_ATOMIC or GFP_NOWAIT here, or allocate before entering atomic context
}

static int gf_map_pages(struct gf_dev *d, unsigned int n, gfp_t gfp)
{
	return sg_alloc_table_from_pages(&d->sgt, d->pages, n, 0, n * PAGE_SIZE, gfp);
}

int gf_map_locked(struct gf_dev *d, unsigned int n)
{
	int ret;

	spin_lock(&d->lock);
	// CHECK: {{.*}}gfp-flow.c:[[@LINE+1]]:8: warning: call to 'gf_map_pages' with GFP_KERNEL may sleep while a spinlock is held [kernel-sleep-in-atomic]
	ret = gf_map_pages(d, n, GFP_KERNEL);
	spin_unlock(&d->lock);
	// CHECK: {{.*}}gfp-flow.c:[[@LINE-4]]:2: note: spinlock 'd->lock' acquired here by 'spin_lock'
	// CHECK: {{.*}}gfp-flow.c:[[@LINE-12]]:9: note: 'sg_alloc_table_from_pages' is given the caller's mask
	return ret;
}

/* Look-alikes that do not sleep. */
void gf_scratch_maybe_atomic(struct gf_dev *d, bool atomic)
{
	gfp_t gfp = GFP_KERNEL;

	if (atomic)
		gfp = GFP_ATOMIC;	/* the mask is not one constant */
	spin_lock(&d->lock);
	d->scratch = kmalloc(64, gfp);
	spin_unlock(&d->lock);
}

int gf_map_atomic(struct gf_dev *d, unsigned int n)
{
	int ret;

	spin_lock(&d->lock);
	ret = gf_map_pages(d, n, GFP_ATOMIC);
	if (!ret && kfifo_alloc(&d->events, 64, GFP_ATOMIC))
		ret = -ENOMEM;
	spin_unlock(&d->lock);
	return ret;
}

int gf_new_handle(struct gf_dev *d, void *obj)
{
	int id;

	idr_preload(GFP_KERNEL);	/* before the lock: may sleep here */
	spin_lock(&d->lock);
	id = idr_alloc(&d->handles, obj, 1, 0, GFP_NOWAIT);
	spin_unlock(&d->lock);
	idr_preload_end();
	return id;
}

MODULE_LICENSE("GPL");
