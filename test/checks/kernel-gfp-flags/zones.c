// RUN: %kdlint-kbuild --checks=-*,kernel-gfp-flags %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// GFP masks as drivers write them; the values come from each tree's own gfp.h.
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/gfp.h>
#include <linux/mm.h>

struct qux_ring { void *desc; void *bounce; struct page *pg; unsigned long buf; };

static int qux_alloc_ring(struct qux_ring *r, struct kmem_cache *cache)
{
	// CHECK: {{.*}}zones.c:[[@LINE+2]]:12: warning: 'kmalloc' with GFP_DMA alone: a zone modifier without reclaim, I/O or FS bits neither sleeps nor wakes kswapd; combine it with GFP_KERNEL or GFP_ATOMIC [kernel-gfp-flags]
	// CHECK: {{.*}}zones.c:[[@LINE+1]]:12: note: GFP_DMA is {{0x[0-9a-f]+}} in this tree, which sets only __GFP_DMA of the zone, reclaim, I/O and FS bits
	r->desc = kmalloc(256, GFP_DMA);		/* zone alone: no reclaim bits */
	// CHECK: {{.*}}zones.c:[[@LINE+2]]:14: warning: 'kzalloc' with GFP_KERNEL | __GFP_HIGHMEM: slab allocators cannot serve __GFP_HIGHMEM (slab memory needs a permanent kernel mapping); the flag is stripped with a warning [kernel-gfp-flags]
	// CHECK: {{.*}}zones.c:[[@LINE+1]]:14: note: GFP_KERNEL | __GFP_HIGHMEM is {{0x[0-9a-f]+}} in this tree, which includes __GFP_HIGHMEM
	r->bounce = kzalloc(512, GFP_KERNEL | __GFP_HIGHMEM);	/* slab has no highmem */
	// CHECK: {{.*}}zones.c:[[@LINE+2]]:11: warning: '__get_free_pages' with GFP_HIGHUSER: it returns a kernel virtual address, which a highmem page does not have; use alloc_pages() and kmap_local_page() [kernel-gfp-flags]
	// CHECK: {{.*}}zones.c:[[@LINE+1]]:11: note: GFP_HIGHUSER is {{0x[0-9a-f]+}} in this tree, which includes __GFP_HIGHMEM
	r->buf = __get_free_pages(GFP_HIGHUSER, 1);	/* no kernel address */
	// CHECK: {{.*}}zones.c:[[@LINE+1]]:10: warning: 'alloc_pages' of order 12 always fails: the largest order this tree allocates is 10 ({{MAX_PAGE_ORDER|MAX_ORDER - 1}}) [kernel-gfp-flags]
	r->pg = alloc_pages(GFP_KERNEL, 12);		/* beyond the largest order */
	// CHECK: {{.*}}zones.c:[[@LINE+2]]:8: warning: 'kmalloc' with GFP_KERNEL | __GFP_DMA32: slab allocators cannot serve __GFP_DMA32 (there are no DMA32 slab caches); the flag is stripped with a warning [kernel-gfp-flags]
	// CHECK: {{.*}}zones.c:[[@LINE+1]]:8: note: GFP_KERNEL | __GFP_DMA32 is {{0x[0-9a-f]+}} in this tree, which includes __GFP_DMA32
	kfree(kmalloc(64, GFP_KERNEL | __GFP_DMA32));	/* no DMA32 slab caches */
	// CHECK: {{.*}}zones.c:[[@LINE+2]]:8: warning: 'kzalloc' with GFP_DMA | __GFP_DMA32 names two zones (__GFP_DMA | __GFP_DMA32): the page allocator rejects this combination (GFP_ZONE_BAD) [kernel-gfp-flags]
	// CHECK: {{.*}}zones.c:[[@LINE+1]]:8: note: GFP_DMA | __GFP_DMA32 is {{0x[0-9a-f]+}} in this tree, which sets __GFP_DMA | __GFP_DMA32
	kfree(kzalloc(64, GFP_DMA | __GFP_DMA32));	/* two zones */
	// CHECK: {{.*}}zones.c:[[@LINE+2]]:25: warning: 'kmem_cache_alloc' with GFP_HIGHUSER: slab allocators cannot serve __GFP_HIGHMEM (slab memory needs a permanent kernel mapping); the flag is stripped with a warning [kernel-gfp-flags]
	// CHECK: {{.*}}zones.c:[[@LINE+1]]:25: note: GFP_HIGHUSER is {{0x[0-9a-f]+}} in this tree, which includes __GFP_HIGHMEM
	kmem_cache_free(cache, kmem_cache_alloc(cache, GFP_HIGHUSER));
	return 0;
}

static void *qux_table(size_t n)
{
	// CHECK: {{.*}}zones.c:[[@LINE+2]]:9: warning: 'kvmalloc' with GFP_ATOMIC never falls back to vmalloc (vmalloc may sleep): this is a kmalloc that fails for large sizes; use kmalloc() or a blocking mask [kernel-gfp-flags]
	// CHECK: {{.*}}zones.c:[[@LINE+1]]:9: note: GFP_ATOMIC is {{0x[0-9a-f]+}} in this tree, which lacks __GFP_DIRECT_RECLAIM
	return kvmalloc(n, GFP_ATOMIC);			/* never falls back to vmalloc */
}

/* What correct drivers do: none of these is reported. */
static int qux_ok(struct qux_ring *r, gfp_t gfp, size_t n)
{
	r->desc = kmalloc(256, GFP_KERNEL | GFP_DMA);
	r->bounce = kzalloc(512, GFP_ATOMIC | GFP_DMA);
	r->pg = alloc_pages(GFP_HIGHUSER, 0);
	r->buf = __get_free_pages(GFP_KERNEL | __GFP_ZERO, 10);
	kvfree(kvmalloc(n, GFP_KERNEL));
	kfree(kmalloc(n, gfp | __GFP_ZERO));		/* the caller's mask: unknown */
	free_pages(__get_free_pages(GFP_NOWAIT | __GFP_DMA32, 0), 0);
	return 0;
}

MODULE_LICENSE("GPL");
