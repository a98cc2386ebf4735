// RUN: %kdlint-kbuild --checks=-*,kernel-kmap-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// Mappings a driver keeps on purpose, and one variable reused for two local
// mappings in turn.
#include <linux/module.h>
#include <linux/highmem.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#define CACHE_KMAP	BIT(0)

struct reloc_cache {
	unsigned long vaddr;	/* mapping | CACHE_KMAP */
	struct page *page;
};

/* The mapping is kept in the cache with a flag bit; unmapped by cache_unmap(). */
static void cache_remap(struct reloc_cache *cache)
{
	void *vaddr;

	if (!cache->vaddr)
		return;
	vaddr = kmap_local_page(cache->page);
	cache->vaddr = (cache->vaddr & CACHE_KMAP) | (unsigned long)vaddr;
}

static void cache_unmap(struct reloc_cache *cache)
{
	if (cache->vaddr & CACHE_KMAP)
		kunmap_local((void *)(cache->vaddr & PAGE_MASK));
}

/* A copy that crosses a page: the first mapping is gone before the second. */
static void copy_from_pages(void *dst, struct page **pages, unsigned int off,
			    unsigned int len)
{
	char *buffer = kmap_local_page(pages[0]);

	if (PAGE_SIZE - off >= len) {
		memcpy(dst, buffer + off, len);
	} else {
		unsigned int part = len - (PAGE_SIZE - off);

		memcpy(dst, buffer + off, part);
		kunmap_local(buffer);
		buffer = kmap_local_page(pages[1]);
		memcpy(dst + part, buffer, len - part);
	}
	kunmap_local(buffer);
}

/* A chained assignment: the saved address is the mapping. */
static void fill_page_table(struct page *page, u32 ppn, unsigned int n)
{
	u32 *addr, *save_addr;
	unsigned int i;

	save_addr = addr = kmap_atomic(page);
	for (i = 0; i < n; i++)
		*addr++ = ppn + i;
	kunmap_atomic(save_addr);
}

/* kunmap() given the page through the table it came from. */
struct gart {
	struct page **pages;
	unsigned int num_cpu_pages;
};

static int gart_read(struct gart *gart, char __user *buf, unsigned int p,
		     size_t n)
{
	struct page *page = gart->pages[p];
	void *ptr;
	int r;

	if (!page)
		return clear_user(buf, n) ? -EFAULT : 0;
	ptr = kmap(page);
	r = copy_to_user(buf, ptr, n);
	kunmap(gart->pages[p]);
	if (r)
		return -EFAULT;
	return 0;
}

/* Two live mappings unmapped in the order they were made. */
static void copy_two(void *dst, struct page *a, struct page *b)
{
	char *x = kmap_local_page(a);
	char *y = kmap_local_page(b);

	memcpy(dst, x, 16);
	memcpy(dst + 16, y, 16);
	// CHECK: {{.*}}kept.c:[[@LINE+1]]:2: warning: 'kunmap_local' of 'x' while 'y', mapped after it, is still mapped: local mappings must be unmapped in the reverse order [kernel-kmap-leak]
	kunmap_local(x);
	// CHECK: {{.*}}kept.c:[[@LINE-7]]:12: note: mapped here by 'kmap_local_page'
	// CHECK: {{.*}}kept.c:[[@LINE-7]]:12: note: mapped later here by 'kmap_local_page'
	kunmap_local(y);
}

void use(struct reloc_cache *c, void *dst, struct page **p)
{
	cache_remap(c);
	cache_unmap(c);
	copy_from_pages(dst, p, 0, 64);
	copy_two(dst, p[0], p[1]);
	fill_page_table(p[0], 1, 8);
	gart_read(NULL, NULL, 0, 0);
}

MODULE_LICENSE("GPL");
