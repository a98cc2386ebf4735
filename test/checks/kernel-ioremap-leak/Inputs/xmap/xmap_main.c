#include <linux/module.h>
#include <linux/pci.h>
#include <linux/io.h>
#include "xmap.h"

int xmap_map(struct xmap_priv *priv, bool managed_fw)
{
	struct pci_dev *pdev = priv->pdev;

	priv->regs = devm_ioremap(&pdev->dev, pci_resource_start(pdev, 0),
				  pci_resource_len(pdev, 0));
	if (!priv->regs)
		return -ENOMEM;
	priv->doorbell = ioport_map(pci_resource_start(pdev, 2), 8);
	if (!priv->doorbell)
		return -ENOMEM;
	priv->sram = ioremap(pci_resource_start(pdev, 4), SZ_64K);
	if (!priv->sram)
		goto err_doorbell;
	if (managed_fw)
		priv->fw = devm_ioremap(&pdev->dev, pci_resource_start(pdev, 5), SZ_4K);
	else
		priv->fw = ioremap(pci_resource_start(pdev, 5), SZ_4K);
	if (!priv->fw)
		goto err_sram;
	return 0;

err_sram:
	iounmap(priv->sram);
err_doorbell:
	ioport_unmap(priv->doorbell);
	return -ENOMEM;
}
