// RUN: %kdlint-kbuild --checks=-*,kernel-alloc-free-mismatch %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// A field that points into a slab object when the response is small and at
// the caller's kmalloc() buffer otherwise; it is freed only in the second
// case (drivers/gpu/drm/virtio/virtgpu_vq.c's virtio_gpu_get_vbuf() and
// free_vbuf()). A pointer into an object is never what kfree() is given. A
// field that holds a vmalloc() buffer itself is still checked.
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#define VB_INLINE_RESP	96

struct vb_buf {
	void *buf;
	void *resp_buf;
	int resp_size;
	void *big;
};

struct vb_dev {
	struct kmem_cache *vbufs;
};

struct vb_buf *vb_get(struct vb_dev *d, int size, int resp_size, void *resp_buf);
struct vb_buf *vb_get(struct vb_dev *d, int size, int resp_size, void *resp_buf)
{
	struct vb_buf *vbuf = kmem_cache_zalloc(d->vbufs, GFP_KERNEL | __GFP_NOFAIL);

	vbuf->buf = (void *)vbuf + sizeof(*vbuf);
	vbuf->resp_size = resp_size;
	if (resp_size <= VB_INLINE_RESP)
		vbuf->resp_buf = (void *)vbuf->buf + size;
	else
		vbuf->resp_buf = resp_buf;
	vbuf->big = vmalloc(4 * PAGE_SIZE);	/* line 35 */
	return vbuf;
}

void vb_free(struct vb_dev *d, struct vb_buf *vbuf);
void vb_free(struct vb_dev *d, struct vb_buf *vbuf)
{
	if (vbuf->resp_size > VB_INLINE_RESP)
		kfree(vbuf->resp_buf);
	// CHECK: {{.*}}interior.c:[[@LINE+1]]:2: warning: 'kfree' frees vmalloc() memory from 'vmalloc'; use 'vfree' [kernel-alloc-free-mismatch]
	kfree(vbuf->big);
	// CHECK: {{.*}}interior.c:35:14: note: allocated here by 'vmalloc' in 'vb_get'
	// CHECK: {{.*}}interior.c:35:2: note: stored in 'vbuf->big' here
	kmem_cache_free(d->vbufs, vbuf);
}
MODULE_LICENSE("GPL");
