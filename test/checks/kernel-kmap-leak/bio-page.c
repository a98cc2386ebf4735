// RUN: %kdlint-kbuild --checks=-*,kernel-kmap-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// A block driver maps the page of a request's current segment with
// kmap(bio_page(bio)) plus the segment's offset, and unmaps with
// kunmap(bio_page(bio)): the page is named through macros (bio_page() expands
// to bvec arithmetic), the same way at both calls (mtd_blkdevs' do_blktrans_request).
#include <linux/module.h>
#include <linux/highmem.h>
#include <linux/bio.h>
#include <linux/blk-mq.h>

struct bt_dev {
	unsigned int blksize;
	int (*readsect)(struct bt_dev *dev, unsigned long block, char *buf);
};

static blk_status_t bt_read(struct bt_dev *dev, struct request *req,
			    unsigned long block, unsigned int nsect)
{
	char *buf = kmap(bio_page(req->bio)) + bio_offset(req->bio);

	for (; nsect > 0; nsect--, block++, buf += dev->blksize) {
		if (dev->readsect(dev, block, buf)) {
			kunmap(bio_page(req->bio));
			return BLK_STS_IOERR;
		}
	}
	kunmap(bio_page(req->bio));
	return BLK_STS_OK;
}

/* The error path forgets the kunmap(). */
static blk_status_t bt_write_leak(struct bt_dev *dev, struct request *req,
				  unsigned long block)
{
	// CHECK: {{.*}}bio-page.c:[[@LINE+1]]:14: warning: kmap() mapping from 'kmap' is not unmapped on every path; call 'kunmap' [kernel-kmap-leak]
	char *buf = kmap(bio_page(req->bio)) + bio_offset(req->bio);

	// CHECK: {{.*}}bio-page.c:[[@LINE+1]]:6: note: taking the true branch here
	if (dev->readsect(dev, block, buf))
		// CHECK: {{.*}}bio-page.c:[[@LINE+1]]:3: note: 'bt_write_leak' returns here and the kmap() mapping is still mapped
		return BLK_STS_IOERR;
	kunmap(bio_page(req->bio));
	return BLK_STS_OK;
}

/* Unmapping another request's page does not unmap this one. */
static blk_status_t bt_read_other(struct bt_dev *dev, struct request *req,
				  struct request *next, unsigned long block)
{
	// CHECK: {{.*}}bio-page.c:[[@LINE+1]]:14: warning: kmap() mapping from 'kmap' is not unmapped on every path; call 'kunmap' [kernel-kmap-leak]
	char *buf = kmap(bio_page(req->bio)) + bio_offset(req->bio);
	int err = dev->readsect(dev, block, buf);

	kunmap(bio_page(next->bio));
	// CHECK: {{.*}}bio-page.c:[[@LINE+2]]:9: note: taking the true branch here
	// CHECK: {{.*}}bio-page.c:[[@LINE+1]]:2: note: 'bt_read_other' returns here and the kmap() mapping is still mapped
	return err ? BLK_STS_IOERR : BLK_STS_OK;
}

MODULE_LICENSE("GPL");
