// RUN: %kdlint-kbuild --checks=-*,kernel-gfp-flags %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// __GFP_NOFAIL promises the caller the allocation cannot fail, which only
// reclaim can keep: without __GFP_DIRECT_RECLAIM (GFP_ATOMIC, GFP_NOWAIT) the
// page allocator warns and fails it (mm/page_alloc.c, __alloc_pages_slowpath).
#include <linux/module.h>
#include <linux/gfp.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

struct evt {
	struct list_head node;
	u32 code;
};

static DEFINE_SPINLOCK(evt_lock);
static LIST_HEAD(evt_list);

/* Called from the IRQ handler: the event must not be lost... */
static void evt_queue_irq(u32 code)
{
	// CHECK: {{.*}}nofail.c:[[@LINE+2]]:18: warning: 'kmalloc' with GFP_ATOMIC | __GFP_NOFAIL: __GFP_NOFAIL without __GFP_DIRECT_RECLAIM cannot wait for memory; the page allocator warns and fails the allocation. Handle the failure without __GFP_NOFAIL, or allocate where sleeping is allowed [kernel-gfp-flags]
	// CHECK: {{.*}}nofail.c:[[@LINE+1]]:18: note: GFP_ATOMIC | __GFP_NOFAIL is 0x{{[0-9a-f]+}} in this tree, which sets __GFP_NOFAIL and lacks __GFP_DIRECT_RECLAIM
	struct evt *e = kmalloc(sizeof(*e), GFP_ATOMIC | __GFP_NOFAIL);

	e->code = code;
	spin_lock(&evt_lock);
	list_add_tail(&e->node, &evt_list);
	spin_unlock(&evt_lock);
}

static struct page *evt_page_nowait(void)
{
	// CHECK: {{.*}}nofail.c:[[@LINE+2]]:9: warning: 'alloc_pages' with GFP_NOWAIT | __GFP_NOFAIL: __GFP_NOFAIL without __GFP_DIRECT_RECLAIM cannot wait for memory; the page allocator warns and fails the allocation. Handle the failure without __GFP_NOFAIL, or allocate where sleeping is allowed [kernel-gfp-flags]
	// CHECK: {{.*}}nofail.c:[[@LINE+1]]:9: note: GFP_NOWAIT | __GFP_NOFAIL is 0x{{[0-9a-f]+}} in this tree, which sets __GFP_NOFAIL and lacks __GFP_DIRECT_RECLAIM
	return alloc_pages(GFP_NOWAIT | __GFP_NOFAIL, 0);
}

/* Process context: a blocking mask with __GFP_NOFAIL is what the flag is for. */
static struct evt *evt_alloc_nofail(void)
{
	return kzalloc(sizeof(struct evt), GFP_KERNEL | __GFP_NOFAIL);
}

static struct evt *evt_alloc_atomic(void)
{
	return kzalloc(sizeof(struct evt), GFP_ATOMIC);	/* may fail: fine */
}

MODULE_LICENSE("GPL");
