// RUN: %kdlint-kbuild --checks=-*,kernel-region-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// A driver tries the port ranges firmware offered, requests one through the
// list cursor, and records the cursor in its state (sony-laptop's
// spic_dev.cur_ioport = io); the error path releases the region through that
// record. The region is named through either pointer, and the record is not
// NULL wherever the region is held.
#include <linux/module.h>
#include <linux/ioport.h>
#include <linux/list.h>

struct sp_ioport {
	struct list_head list;
	unsigned short start, len;
};

static struct {
	struct list_head ioports;
	struct sp_ioport *cur_ioport;
} sp_dev;

int sp_setup_irq(void);

static int sp_add(void)
{
	struct sp_ioport *io;
	int result;

	list_for_each_entry_reverse(io, &sp_dev.ioports, list) {
		if (request_region(io->start, io->len, "sp")) {
			sp_dev.cur_ioport = io;
			break;
		}
	}
	if (!sp_dev.cur_ioport)
		return -ENODEV;
	result = sp_setup_irq();
	if (result)
		goto err_release_region;
	return 0;

err_release_region:
	release_region(sp_dev.cur_ioport->start, sp_dev.cur_ioport->len);
	sp_dev.cur_ioport = NULL;
	return result;
}

/* The cursor is recorded, but the error path releases another range. */
static int sp_add_wrong(struct sp_ioport *other)
{
	struct sp_ioport *io;
	int result;

	list_for_each_entry(io, &sp_dev.ioports, list) {
		// CHECK: {{.*}}stored-cursor.c:[[@LINE+2]]:7: warning: I/O port region from 'request_region' is not released on every path (an error path leaks it); call 'release_region' [kernel-region-leak]
		// CHECK: {{.*}}stored-cursor.c:[[@LINE+1]]:7: note: taking the true branch here
		if (request_region(io->start, io->len, "sp")) {
			sp_dev.cur_ioport = io;
			break;
		}
	}
	// CHECK: {{.*}}stored-cursor.c:[[@LINE+1]]:6: note: taking the false branch here
	if (!sp_dev.cur_ioport)
		return -ENODEV;
	result = sp_setup_irq();
	// CHECK: {{.*}}stored-cursor.c:[[@LINE+1]]:6: note: taking the true branch here
	if (result)
		goto err_release_region;
	return 0;

err_release_region:
	release_region(other->start, other->len);
	// CHECK: {{.*}}stored-cursor.c:[[@LINE+1]]:2: note: 'sp_add_wrong' returns here with an error and the I/O port region is still held
	return result;
}

MODULE_LICENSE("GPL");
