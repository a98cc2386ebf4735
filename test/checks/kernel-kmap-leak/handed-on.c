// RUN: %kdlint-kbuild --checks=-*,kernel-kmap-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// The map half of a map/unmap pair of ops (drivers/gpu/drm/ttm/ttm_tt.c's
// ttm_kmap_iter_tt_map_local()): the mapping goes straight from
// kmap_local_page() into the caller's iosys_map, and the paired .unmap_local
// op unmaps it. A mapping read once and dropped still leaks.
#include <linux/module.h>
#include <linux/highmem.h>
#include <linux/iosys-map.h>

void kh_map_local(struct iosys_map *dmap, struct page *page);
void kh_map_local(struct iosys_map *dmap, struct page *page)
{
	iosys_map_set_vaddr(dmap, kmap_local_page(page));
}

void kh_unmap_local(struct iosys_map *map);
void kh_unmap_local(struct iosys_map *map)
{
	kunmap_local(map->vaddr);
}

u32 kh_peek(struct page *page);
u32 kh_peek(struct page *page)
{
	// CHECK: {{.*}}handed-on.c:[[@LINE+1]]:17: warning: kmap_local mapping from 'kmap_local_page' is not unmapped on every path; call 'kunmap_local' [kernel-kmap-leak]
	return *(u32 *)kmap_local_page(page);
	// CHECK: {{.*}}handed-on.c:[[@LINE-1]]:2: note: 'kh_peek' returns here and the kmap_local mapping is still mapped
}
MODULE_LICENSE("GPL");
