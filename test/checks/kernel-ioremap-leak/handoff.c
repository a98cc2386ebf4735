// RUN: %kdlint-kbuild --checks=-*,kernel-ioremap-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// Mappings handed to a helper that keeps them, once per channel in a loop:
// a successful probe keeps them (remove unmaps); the loop-skipping path is
// not a leak. A mapping nothing keeps still is.
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

struct chan {
	void __iomem *base;
	struct chan *next;
};

static struct chan *chans;

static int can_add_chan(struct pci_dev *pdev, int i, void __iomem *base)
{
	struct chan *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	c->base = base + i * 0x80;
	c->next = chans;
	chans = c;
	return 0;
}

static int can_count_chips(void __iomem *base)
{
	int i;

	for (i = 0; i < 4; i++)
		if (ioread8(base + i * 0x80) == 0xff)
			break;
	return i;
}

static int can_pci_probe(struct pci_dev *pdev, const struct pci_device_id *ent)
{
	void __iomem *base, *dbg;
	int i, n, err;

	err = pci_request_regions(pdev, "can");
	if (err)
		return err;
	base = pci_iomap(pdev, 1, 0);
	if (!base) {
		err = -ENOMEM;
		goto out_release;
	}
	n = can_count_chips(base);
	if (n == 0) {
		err = -ENODEV;
		goto out_unmap;
	}
	for (i = 0; i < n; i++) {
		err = can_add_chan(pdev, i, base);
		if (err)
			goto out_unmap;
	}
	// CHECK: {{.*}}handoff.c:[[@LINE+1]]:8: warning: PCI I/O mapping from 'pci_iomap' is not unmapped on every path; call 'pci_iounmap' [kernel-ioremap-leak]
	dbg = pci_iomap(pdev, 2, 0);
	// CHECK: {{.*}}handoff.c:[[@LINE+1]]:6: note: taking the true branch here
	if (dbg)
		dev_info(&pdev->dev, "debug BAR at %p\n", dbg);
	// CHECK: {{.*}}handoff.c:[[@LINE+1]]:2: note: 'can_pci_probe' returns here and the PCI I/O mapping is still mapped
	return 0;

out_unmap:
	pci_iounmap(pdev, base);
out_release:
	pci_release_regions(pdev);
	return err;
}

MODULE_LICENSE("GPL");
