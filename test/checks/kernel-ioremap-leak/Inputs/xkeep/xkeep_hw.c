#include <linux/module.h>
#include <linux/pci.h>
#include <linux/io.h>
#include "xkeep.h"

int xkeep_hw_map(struct xkeep_hw *hw)
{
	struct pci_dev *pdev = hw->pdev;

	hw->regs = ioremap(pci_resource_start(pdev, 0), pci_resource_len(pdev, 0));
	if (!hw->regs)
		return -ENOMEM;
	hw->sram = ioremap(pci_resource_start(pdev, 2), SZ_64K);
	if (!hw->sram)
		goto err_regs;
	hw->msix = devm_ioremap(&pdev->dev, pci_resource_start(pdev, 4), SZ_4K);
	if (!hw->msix)
		goto err_sram;
	return 0;

err_sram:
	iounmap(hw->sram);
err_regs:
	iounmap(hw->regs);
	return -ENOMEM;
}

void xkeep_hw_unmap(struct xkeep_hw *hw)
{
	iounmap(hw->regs);
}
