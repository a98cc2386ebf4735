#include <linux/module.h>
#include <linux/pci.h>
#include "xkeep.h"

static int xkeep_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct xkeep_hw *hw;
	int err;

	hw = devm_kzalloc(&pdev->dev, sizeof(*hw), GFP_KERNEL);
	if (!hw)
		return -ENOMEM;
	hw->pdev = pdev;
	err = pcim_enable_device(pdev);
	if (err)
		return err;
	err = xkeep_hw_map(hw);
	if (err)
		return err;
	pci_set_drvdata(pdev, hw);
	return 0;
}

static void xkeep_remove(struct pci_dev *pdev)
{
	struct xkeep_hw *hw = pci_get_drvdata(pdev);

	xkeep_hw_unmap(hw);
}

static const struct pci_device_id xkeep_ids[] = { { PCI_DEVICE(0x1234, 0x0002) }, { } };
MODULE_DEVICE_TABLE(pci, xkeep_ids);
static struct pci_driver xkeep_driver = {
	.name = "xkeep",
	.id_table = xkeep_ids,
	.probe = xkeep_probe,
	.remove = xkeep_remove,
};
module_pci_driver(xkeep_driver);
MODULE_LICENSE("GPL");
