#include <linux/module.h>
#include <linux/pci.h>
#include <linux/dma-mapping.h>
#include "xres.h"

int xres_hw_init(struct pci_dev *pdev)
{
	pci_set_master(pdev);
	return dma_set_mask(&pdev->dev, DMA_BIT_MASK(32));
}

/* Undoes probe: the regions and the device. */
static void xres_hw_release(struct pci_dev *pdev)
{
	pci_release_regions(pdev);
}

void xres_hw_cleanup(struct pci_dev *pdev)
{
	xres_hw_release(pdev);
	pci_disable_device(pdev);
}

/* Only quiesces the device: releases nothing. */
void xres_hw_reset(struct pci_dev *pdev)
{
	pci_clear_master(pdev);
}
