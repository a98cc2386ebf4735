// RUN: %kdlint-kbuild --checks=-*,kernel-region-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// The struct resource request_mem_region() returns, taken out of the
// resource tree by hand with remove_resource() and freed, is released: that is
// what __release_region() does (drivers/dax/kmem.c hands the region to the
// memory hotplug core and gives it back that way when adding memory fails).
#include <linux/module.h>
#include <linux/ioport.h>
#include <linux/slab.h>

int rr_add_memory(resource_size_t start, resource_size_t len);

static int rr_reserve(resource_size_t start, resource_size_t len, struct resource **out)
{
	struct resource *res;
	int rc;

	res = request_mem_region(start, len, "rr");
	if (!res)
		return -EBUSY;
	res->flags = IORESOURCE_SYSTEM_RAM;
	rc = rr_add_memory(start, len);
	if (rc) {
		remove_resource(res);
		kfree(res);
		return rc;
	}
	*out = res;
	return 0;
}

/* The error path frees the struct but leaves it in the resource tree. */
static int rr_reserve_leak(resource_size_t start, resource_size_t len, struct resource **out)
{
	struct resource *res;
	int rc;

	// CHECK: {{.*}}remove-resource.c:[[@LINE+1]]:8: warning: I/O memory region from 'request_mem_region' is not released on every path (an error path leaks it); call 'release_mem_region' [kernel-region-leak]
	res = request_mem_region(start, len, "rr");
	// CHECK: {{.*}}remove-resource.c:[[@LINE+1]]:6: note: taking the false branch here
	if (!res)
		return -EBUSY;
	rc = rr_add_memory(start, len);
	// CHECK: {{.*}}remove-resource.c:[[@LINE+1]]:6: note: taking the true branch here
	if (rc) {
		kfree(res);
		// CHECK: {{.*}}remove-resource.c:[[@LINE+1]]:3: note: 'rr_reserve_leak' returns here with an error and the I/O memory region is still held
		return rc;
	}
	*out = res;
	return 0;
}

MODULE_LICENSE("GPL");
