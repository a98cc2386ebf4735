// RUN: %kdlint-kbuild --checks=-*,kernel-region-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// drivers/platform/x86/sony-laptop.c: a loop requests io1 and, when the
// device has one (io->io2.minimum != 0), io2, and keeps the pair in a global
// (spic_dev.cur_ioport = io); the error path releases io2 only
// "if (spic_dev.cur_ioport->io2.minimum)". That test cannot be false while
// io2 is held: a held region's start is never 0. The look-alike that
// releases io1 only leaks io2 and is still reported.
#include <linux/module.h>
#include <linux/ioport.h>
#include <linux/list.h>
#include <linux/interrupt.h>
#include <linux/acpi.h>

struct sp_ioport { struct list_head list; struct acpi_resource_io io1, io2; };
struct sp_dev { struct list_head ioports; struct sp_ioport *cur_ioport; int irq; };
static struct sp_dev spic_dev;
int sp_enable(struct sp_ioport *io);
static irqreturn_t sp_irq(int irq, void *d) { return IRQ_HANDLED; }

int sp_add(void);
int sp_add(void)
{
	struct sp_ioport *io;
	int result;

	list_for_each_entry_reverse(io, &spic_dev.ioports, list) {
		if (request_region(io->io1.minimum, io->io1.address_length, "sp")) {
			if (io->io2.minimum) {
				if (request_region(io->io2.minimum, io->io2.address_length, "sp")) {
					spic_dev.cur_ioport = io;
					break;
				} else {
					release_region(io->io1.minimum, io->io1.address_length);
				}
			} else {
				spic_dev.cur_ioport = io;
				break;
			}
		}
	}
	if (!spic_dev.cur_ioport)
		return -ENODEV;
	result = request_irq(spic_dev.irq, sp_irq, 0, "sp", &spic_dev);
	if (result)
		goto err_release_region;
	result = sp_enable(spic_dev.cur_ioport);
	if (result)
		goto err_free_irq;
	return 0;
err_free_irq:
	free_irq(spic_dev.irq, &spic_dev);
err_release_region:
	release_region(spic_dev.cur_ioport->io1.minimum, spic_dev.cur_ioport->io1.address_length);
	if (spic_dev.cur_ioport->io2.minimum)
		release_region(spic_dev.cur_ioport->io2.minimum, spic_dev.cur_ioport->io2.address_length);
	return result;
}

int sq_check(struct sp_ioport *io);
int sq_add(void);
int sq_add(void)
{
	struct sp_ioport *io;

	list_for_each_entry_reverse(io, &spic_dev.ioports, list) {
		if (!request_region(io->io1.minimum, io->io1.address_length, "sq"))
			continue;
		if (!io->io2.minimum) {
			spic_dev.cur_ioport = io;
			return 0;
		}
		// CHECK: {{.*}}sony.c:[[@LINE+1]]:7: warning: I/O port region from 'request_region' is not released on every path (an error path leaks it); call 'release_region' [kernel-region-leak]
		if (request_region(io->io2.minimum, io->io2.address_length, "sq")) {
			if (sq_check(io) < 0) {
				release_region(io->io1.minimum, io->io1.address_length);
				return -EIO;
			}
			spic_dev.cur_ioport = io;
			return 0;
		}
		release_region(io->io1.minimum, io->io1.address_length);
	}
	return -ENODEV;
}
// CHECK: {{.*}}sony.c:[[@LINE-12]]:7: note: taking the true branch here
// CHECK: {{.*}}sony.c:[[@LINE-12]]:8: note: taking the true branch here
// CHECK: {{.*}}sony.c:[[@LINE-11]]:5: note: 'sq_add' returns here with an error and the I/O port region is still held
MODULE_LICENSE("GPL");
