// RUN: %kdlint-kbuild --checks=-*,kernel-region-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// Regions of a device reached through the object a helper is given: when
// the helper's callers are in this file they decide (and a caller that
// does not release is reported); when no function of this file calls it
// (another file's caller, or an ops pointer: isp_ops->iospace_config(ha)),
// the failing helper leaves the region to them.
#include <linux/module.h>
#include <linux/pci.h>

struct qla_hw {
	struct pci_dev *pdev;
	int bars;
	void __iomem *iobase;
};

struct qla_isp_ops {
	int (*iospace_config)(struct qla_hw *ha);
};

/* Called through qla_ops.iospace_config from another file's probe. */
static int qla_fx_iospace_config(struct qla_hw *ha)
{
	if (pci_request_selected_regions(ha->pdev, ha->bars, "qla"))
		return -ENOMEM;
	if (!(pci_resource_flags(ha->pdev, 0) & IORESOURCE_MEM))
		return -ENOMEM;
	ha->iobase = ioremap(pci_resource_start(ha->pdev, 0), 0x100);
	if (!ha->iobase)
		return -ENOMEM;
	return 0;
}

const struct qla_isp_ops qla_fx_ops = {
	.iospace_config = qla_fx_iospace_config,
};

/* Exported: its callers are in other files. */
int qla_mr_iospace_config(struct qla_hw *ha)
{
	if (pci_request_selected_regions(ha->pdev, ha->bars, "qla"))
		return -ENOMEM;
	if (pci_resource_len(ha->pdev, 0) < 0x100)
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_GPL(qla_mr_iospace_config);

/* Called below by a caller that does not release: reported. */
static int qla_old_iospace_config(struct qla_hw *ha)
{
	// CHECK: {{.*}}unseen-callers.c:[[@LINE+1]]:6: warning: PCI regions from 'pci_request_selected_regions' are not released on every path (an error path leaks it); call 'pci_release_selected_regions' [kernel-region-leak]
	if (pci_request_selected_regions(ha->pdev, ha->bars, "qla"))
		// CHECK: {{.*}}unseen-callers.c:[[@LINE-1]]:6: note: taking the false branch here
		return -ENOMEM;
	// CHECK: {{.*}}unseen-callers.c:[[@LINE+1]]:6: note: taking the true branch here
	if (pci_resource_len(ha->pdev, 0) < 0x100)
		// CHECK: {{.*}}unseen-callers.c:[[@LINE+1]]:3: note: 'qla_old_iospace_config' returns here with an error and the PCI regions are still held
		return -EINVAL;
	return 0;
}

int qla_old_setup(struct qla_hw *ha)
{
	int err = qla_old_iospace_config(ha);

	if (err)
		return err;
	return 0;
}
EXPORT_SYMBOL_GPL(qla_old_setup);

MODULE_LICENSE("GPL");
