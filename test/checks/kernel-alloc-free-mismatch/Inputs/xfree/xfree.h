/* A driver in two files: xfree_main.c allocates the tables at probe,
 * xfree_hw.c frees them when the hardware is torn down. */
#include <linux/types.h>

struct device;

struct xfree_priv {
	struct device *dev;
	u32 *table;	/* vmalloc() */
	u8 *ring;	/* kzalloc() */
	u8 *log;	/* kvmalloc() */
	u32 *stats;	/* devm_kcalloc() */
	unsigned long dma_buf;	/* __get_free_pages(XFREE_DMA_ORDER) */
	struct page *rx_page;	/* alloc_pages(XFREE_RX_ORDER) */
};

#define XFREE_DMA_ORDER	2
#define XFREE_RX_ORDER	1

int xfree_alloc(struct xfree_priv *priv, size_t n);
void xfree_teardown(struct xfree_priv *priv);
