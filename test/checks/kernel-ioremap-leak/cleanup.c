// RUN: %kdlint-kbuild --checks=-*,kernel-ioremap-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// Probe's error path calls the driver's teardown helper, which unmaps the
// fields probe filled (the pattern of drivers/net/wan/pc300too.c).
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/io.h>
#include <linux/slab.h>

struct card {
	void __iomem *plxbase;
	void __iomem *rambase;
	void __iomem *csr;
};

int card_register(struct card *card);

static void card_remove(struct pci_dev *pdev)
{
	struct card *card = pci_get_drvdata(pdev);

	if (card->rambase)
		iounmap(card->rambase);
	if (card->plxbase)
		iounmap(card->plxbase);
	kfree(card);
}

static int card_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct card *card = kzalloc(sizeof(*card), GFP_KERNEL);

	if (!card)
		return -ENOMEM;
	pci_set_drvdata(pdev, card);
	card->plxbase = ioremap(pci_resource_start(pdev, 0), 0x80);
	card->rambase = ioremap(pci_resource_start(pdev, 3), 0x10000);
	// CHECK: {{.*}}cleanup.c:[[@LINE+1]]:14: warning: I/O mapping from 'ioremap' is not unmapped when 'card_probe' fails: probe stored it but remove is never called after a failed probe; call 'iounmap' on the error path or use a devm_ variant [kernel-ioremap-leak]
	card->csr = ioremap(pci_resource_start(pdev, 1), 0x20);	/* not in the helper */
	// CHECK: {{.*}}cleanup.c:[[@LINE+6]]:6: note: taking the false branch here
	// CHECK: {{.*}}cleanup.c:[[@LINE+5]]:24: note: taking the false branch here
	// CHECK: {{.*}}cleanup.c:[[@LINE+4]]:42: note: taking the false branch here
	// CHECK: {{.*}}cleanup.c:[[@LINE+3]]:56: note: taking the true branch here
	// CHECK: {{.*}}cleanup.c:[[@LINE+4]]:3: note: 'card_probe' returns here with an error and the I/O mapping is still mapped
	// Then, after the function: the same mapping is never unmapped by remove.
	if (!card->plxbase || !card->rambase || !card->csr || card_register(card)) {
		card_remove(pdev);			/* unmaps plxbase and rambase */
		return -ENODEV;
	}
	return 0;
}

static const struct pci_device_id card_ids[] = { { PCI_DEVICE(0x120e, 0x0300) }, { } };
static struct pci_driver card_driver = {
	.name = "kdlint-card",
	.id_table = card_ids,
	.probe = card_probe,
	.remove = card_remove,
};
// CHECK: {{.*}}cleanup.c:[[@LINE-21]]:2: warning: I/O mapping from 'ioremap' stored in 'card->csr' by probe is never unmapped by the remove callback 'card_remove'; call 'iounmap' there or use a devm_ variant [kernel-ioremap-leak]
// CHECK: {{.*}}cleanup.c:[[@LINE-22]]:14: note: acquired here by 'ioremap'
// CHECK: {{.*}}cleanup.c:[[@LINE-4]]:12: note: 'card_remove' is the .remove callback of this pci_driver
module_pci_driver(card_driver);
MODULE_LICENSE("GPL");
