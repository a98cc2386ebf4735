/* A driver in two files: xmap_main.c maps the device at probe, xmap_hw.c
 * unmaps it when the hardware is torn down. */
#include <linux/types.h>

struct pci_dev;

struct xmap_priv {
	struct pci_dev *pdev;
	void __iomem *regs;	/* devm_ioremap(): managed */
	void __iomem *doorbell;	/* ioport_map() */
	void __iomem *sram;	/* ioremap() */
	void __iomem *fw;	/* ioremap() or devm_ioremap() */
};

int xmap_map(struct xmap_priv *priv, bool managed_fw);
void xmap_unmap(struct xmap_priv *priv);
