// RUN: %kdlint-kbuild --checks=-*,kernel-region-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
//
// pci_request_regions() requests every BAR; pci_release_mem_regions() is
// pci_release_selected_regions(pdev, pci_select_bars(pdev, IORESOURCE_MEM))
// (include/linux/pci.h) and gives back only the memory BARs: the I/O port BARs
// stay busy, and the next probe's pci_request_regions() fails with -EBUSY.
// Reported on the error path and in remove; the matching pairs are silent.

#include <linux/module.h>
#include <linux/pci.h>

struct pr_priv {
	void __iomem *regs;
};

/* Requests every BAR, gives back only the memory ones. */
static int pr_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct pr_priv *p;
	int err;

	err = pci_enable_device(pdev);
	if (err)
		return err;
	// CHECK-DAG: {{.*}}partial-release.c:[[@LINE+1]]:8: note: acquired here by 'pci_request_regions'
	err = pci_request_regions(pdev, "pr");
	// CHECK-DAG: {{.*}}partial-release.c:[[@LINE-1]]:8: note: acquired here by 'pci_request_regions' in 'pr_probe'
	if (err)
		goto err_disable;
	p = devm_kzalloc(&pdev->dev, sizeof(*p), GFP_KERNEL);
	if (!p) {
		err = -ENOMEM;
		goto err_release;
	}
	p->regs = pcim_iomap(pdev, 0, 0);
	if (!p->regs) {
		err = -ENOMEM;
		goto err_release;
	}
	pci_set_drvdata(pdev, p);
	return 0;

err_release:
	// CHECK-DAG: {{.*}}partial-release.c:[[@LINE+1]]:2: warning: 'pci_release_mem_regions' releases only the memory BARs of the PCI regions from 'pci_request_regions'; the rest stay requested; use 'pci_release_regions' [kernel-region-leak]
	pci_release_mem_regions(pdev);
err_disable:
	pci_disable_device(pdev);
	return err;
}

static void pr_remove(struct pci_dev *pdev)
{
	// CHECK-DAG: {{.*}}partial-release.c:[[@LINE+1]]:2: warning: 'pci_release_mem_regions' releases only the memory BARs of the PCI regions from 'pci_request_regions'; the rest stay requested; use 'pci_release_regions' [kernel-region-leak]
	pci_release_mem_regions(pdev);
	pci_disable_device(pdev);
}

static const struct pci_device_id pr_ids[] = { { PCI_DEVICE(0x1234, 0x0001) }, { } };
MODULE_DEVICE_TABLE(pci, pr_ids);
static struct pci_driver pr_driver = {
	.name = "pr", .id_table = pr_ids, .probe = pr_probe,
	// CHECK-DAG: {{.*}}partial-release.c:[[@LINE+1]]:12: note: 'pr_remove' is the .remove callback of this pci_driver
	.remove = pr_remove,
};

/* The enetc idiom: only the memory BARs, both ways. */
static int mr_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int err;

	err = pci_enable_device_mem(pdev);
	if (err)
		return err;
	err = pci_request_mem_regions(pdev, "mr");
	if (err)
		goto err_disable;
	err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (err)
		goto err_release;
	return 0;

err_release:
	pci_release_mem_regions(pdev);
err_disable:
	pci_disable_device(pdev);
	return err;
}

static void mr_remove(struct pci_dev *pdev)
{
	pci_release_mem_regions(pdev);
	pci_disable_device(pdev);
}

static struct pci_driver mr_driver = {
	.name = "mr", .id_table = pr_ids, .probe = mr_probe, .remove = mr_remove,
};

/* Every BAR, both ways; and the memory BARs given back by pci_release_regions(),
 * which releases them too. */
static int ar_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int err;

	err = pci_enable_device(pdev);
	if (err)
		return err;
	err = pci_request_regions(pdev, "ar");
	if (err)
		goto err_disable;
	err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
	if (err)
		goto err_release;
	return 0;

err_release:
	pci_release_regions(pdev);
err_disable:
	pci_disable_device(pdev);
	return err;
}

static void ar_remove(struct pci_dev *pdev)
{
	pci_release_regions(pdev);
	pci_disable_device(pdev);
}

static struct pci_driver ar_driver = {
	.name = "ar", .id_table = pr_ids, .probe = ar_probe, .remove = ar_remove,
};

static int mm_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int err = pci_request_mem_regions(pdev, "mm");

	if (err)
		return err;
	if (pci_resource_len(pdev, 0) < SZ_4K) {
		pci_release_regions(pdev);
		return -ENODEV;
	}
	return 0;
}

static void mm_remove(struct pci_dev *pdev)
{
	pci_release_regions(pdev);
}

static struct pci_driver mm_driver = {
	.name = "mm", .id_table = pr_ids, .probe = mm_probe, .remove = mm_remove,
};

static int __init pr_init(void)
{
	int err = pci_register_driver(&pr_driver);

	if (!err)
		err = pci_register_driver(&mr_driver);
	if (!err)
		err = pci_register_driver(&ar_driver);
	if (!err)
		err = pci_register_driver(&mm_driver);
	return err;
}
module_init(pr_init);
MODULE_LICENSE("GPL");
