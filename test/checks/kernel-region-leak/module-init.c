// RUN: %kdlint-kbuild --checks=-*,kernel-region-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// An ISA card found by module_init (the pattern of
// drivers/media/radio/radio-sf16fmi.c). The port search leaves io = -1 only
// where it released the region, so 'if (io < 0)' after it cannot leak; but
// when init fails later, module exit never runs, so the region recorded in
// the card's structure (which exit releases) is leaked on that return.
#include <linux/module.h>
#include <linux/ioport.h>
#include <linux/io.h>

struct fm_card {
	int io;
	int error;
};

static struct fm_card fm_card;
static int io = -1;
module_param(io, int, 0);

static int fm_setup(struct fm_card *card);

static int __init fm_init(void)
{
	struct fm_card *card = &fm_card;
	static const int probe_ports[] = { 0x284, 0x384 };
	int res, i;

	if (io < 0) {
		for (i = 0; i < ARRAY_SIZE(probe_ports); i++) {
			io = probe_ports[i];
			if (!request_region(io, 2, "fm")) {
				io = -1;
				continue;
			}
			if ((inb(io) & 0xf9) == 0xf9)
				break;
			release_region(io, 2);
			io = -1;
		}
	} else if (!request_region(io, 2, "fm")) {
		return -EBUSY;
	}
	if (io < 0)		/* nothing held here */
		return -ENODEV;
	card->io = io;
	fm_setup(card);
	if (card->error) {
		res = card->error;
		return res;	/* exit will not run: leaked */
	}
	return 0;
}
// CHECK: {{.*}}module-init.c:31:9: warning: I/O port region from 'request_region' is not released on every path (an error path leaks it); call 'release_region' [kernel-region-leak]
// CHECK: {{.*}}module-init.c:31:8: note: taking the false branch here
// CHECK: {{.*}}module-init.c:35:8: note: taking the true branch here
// CHECK: {{.*}}module-init.c:43:6: note: taking the false branch here
// CHECK: {{.*}}module-init.c:47:6: note: taking the true branch here
// CHECK: {{.*}}module-init.c:49:3: note: 'fm_init' returns here with an error and the I/O port region is still held
// CHECK: {{.*}}module-init.c:40:14: warning: I/O port region from 'request_region' is not released on every path (an error path leaks it); call 'release_region' [kernel-region-leak]
// CHECK: {{.*}}module-init.c:40:13: note: taking the false branch here
// CHECK: {{.*}}module-init.c:43:6: note: taking the false branch here
// CHECK: {{.*}}module-init.c:47:6: note: taking the true branch here
// CHECK: {{.*}}module-init.c:49:3: note: 'fm_init' returns here with an error and the I/O port region is still held

static void __exit fm_exit(void)
{
	release_region(fm_card.io, 2);
}

static int fm_setup(struct fm_card *card)
{
	card->error = inb(card->io + 1) ? 0 : -EIO;
	return card->error;
}

module_init(fm_init);
module_exit(fm_exit);
MODULE_LICENSE("GPL");
