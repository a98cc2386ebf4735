// RUN: %kdlint-kbuild --checks=-*,kernel-region-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// One list cursor walks two lists of regions (memory, then ports), and the
// unwind releases each list with its own function: each release matches
// the requests of its list, not the other list's. A release of the wrong
// kind is still reported.
#include <linux/module.h>
#include <linux/ioport.h>
#include <linux/list.h>

struct fw_res {
	struct list_head list;
	unsigned long start;
	unsigned long end;
};

struct fw_resources {
	struct list_head iomem;
	struct list_head ioport;
};

int fw_resources_merge(struct fw_resources *resources);

int fw_resources_request(struct fw_resources *resources, const char *desc)
{
	struct fw_res *res, *res_bak = NULL;
	struct resource *r;
	int rc = -EINVAL;

	list_for_each_entry(res, &resources->iomem, list) {
		r = request_mem_region(res->start, res->end - res->start, desc);
		if (!r) {
			res_bak = res;
			goto err_unmap_iomem;
		}
	}

	list_for_each_entry(res, &resources->ioport, list) {
		r = request_region(res->start, res->end - res->start, desc);
		if (!r) {
			res_bak = res;
			goto err_unmap_ioport;
		}
	}

	rc = fw_resources_merge(resources);
	if (rc)
		goto err_unmap_ioport;
	goto out;

err_unmap_ioport:
	list_for_each_entry(res, &resources->ioport, list) {
		if (res == res_bak)
			break;
		release_region(res->start, res->end - res->start);
	}
	res_bak = NULL;
err_unmap_iomem:
	list_for_each_entry(res, &resources->iomem, list) {
		if (res == res_bak)
			break;
		release_mem_region(res->start, res->end - res->start);
	}
out:
	return rc;
}

int fw_window_request(struct fw_res *win, const char *desc)
{
	if (!request_mem_region(win->start, win->end - win->start, desc))
		return -EBUSY;
	if (win->end - win->start < 0x100) {
		// CHECK: {{.*}}two-lists.c:[[@LINE+1]]:3: warning: 'release_region' does not release an I/O memory region from 'request_mem_region'; use 'release_mem_region' [kernel-region-leak]
		release_region(win->start, win->end - win->start);
		// CHECK: {{.*}}two-lists.c:[[@LINE-5]]:7: note: acquired here by 'request_mem_region'
		return -EINVAL;
	}
	return 0;
}

MODULE_LICENSE("GPL");
