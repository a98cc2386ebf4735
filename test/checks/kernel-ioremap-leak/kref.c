// RUN: %kdlint-kbuild --checks=-*,kernel-ioremap-leak,kernel-region-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// remove() dropping the last reference: the release callback handed to
// kref_put() unmaps and releases what probe kept. BARs mapped write-combined
// or not through one ?: and unmapped by the error loop.
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/kref.h>
#include <linux/slab.h>

struct ad {
	struct kref kref;
	struct pci_dev *pci_dev;
	void __iomem *base_addr;
	void __iomem *msg_addr;
	void __iomem *bar[3];
};

static void ad_kref_release(struct kref *kref)
{
	struct ad *a = container_of(kref, struct ad, kref);

	iounmap(a->base_addr);
	pci_release_regions(a->pci_dev);
	kfree(a);
}

static int ad_map_bars(struct ad *a, const bool is_wc[3])
{
	int i, rc;

	for (i = 0; i < 3; i++) {
		a->bar[i] = is_wc[i] ? pci_ioremap_wc_bar(a->pci_dev, i * 2) :
				       pci_ioremap_bar(a->pci_dev, i * 2);
		if (!a->bar[i]) {
			rc = -ENODEV;
			goto err;
		}
	}
	return 0;
err:
	for (i = 2; i >= 0; i--)
		if (a->bar[i])
			iounmap(a->bar[i]);
	return rc;
}

static int ad_probe(struct pci_dev *dev, const struct pci_device_id *id)
{
	static const bool is_wc[3] = { true, false, false };
	struct ad *a;

	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	if (pci_request_regions(dev, "ad")) {
		kfree(a);
		return -EBUSY;
	}
	a->pci_dev = dev;
	a->base_addr = pci_ioremap_bar(dev, 0);
	if (!a->base_addr)
		goto err_release;
	// CHECK: {{.*}}kref.c:[[@LINE+1]]:2: warning: I/O mapping from 'pci_ioremap_bar' stored in 'a->msg_addr' by probe is never unmapped by the remove callback 'ad_remove'; call 'iounmap' there or use a devm_ variant [kernel-ioremap-leak]
	a->msg_addr = pci_ioremap_bar(dev, 1);	/* nobody unmaps this one */
	if (!a->msg_addr)
		goto err_unmap;
	if (ad_map_bars(a, is_wc))
		goto err_unmap_msg;
	kref_init(&a->kref);
	pci_set_drvdata(dev, a);
	return 0;

err_unmap_msg:
	iounmap(a->msg_addr);
err_unmap:
	iounmap(a->base_addr);
err_release:
	pci_release_regions(dev);
	kfree(a);
	return -ENOMEM;
}
// CHECK: {{.*}}kref.c:[[@LINE-18]]:16: note: acquired here by 'pci_ioremap_bar'

static void ad_remove(struct pci_dev *dev)
{
	struct ad *a = pci_get_drvdata(dev);

	kref_put(&a->kref, ad_kref_release);
}

static struct pci_driver ad_driver = {
	.name = "ad",
	.probe = ad_probe,
	// CHECK: {{.*}}kref.c:[[@LINE+1]]:12: note: 'ad_remove' is the .remove callback of this pci_driver
	.remove = ad_remove,
};
module_pci_driver(ad_driver);
MODULE_LICENSE("GPL");
