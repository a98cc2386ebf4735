/* A PCI driver in two files: xkeep_main.c has probe and remove, xkeep_hw.c
 * maps and unmaps the hardware's BARs for them. */
#include <linux/types.h>

struct pci_dev;

struct xkeep_hw {
	struct pci_dev *pdev;
	void __iomem *regs;	/* ioremap(): unmapped by xkeep_hw_unmap() */
	void __iomem *sram;	/* ioremap(): never unmapped */
	void __iomem *msix;	/* devm_ioremap(): the driver core unmaps it */
};

int xkeep_hw_map(struct xkeep_hw *hw);
void xkeep_hw_unmap(struct xkeep_hw *hw);
u32 xkeep_fw_version(struct xkeep_hw *hw);
