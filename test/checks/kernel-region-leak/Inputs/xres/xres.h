/* A PCI driver in two files: probe and remove in xres_main.c, the hardware
 * helpers in xres_hw.c. */
#include <linux/pci.h>

int xres_hw_init(struct pci_dev *pdev);
void xres_hw_cleanup(struct pci_dev *pdev);
void xres_hw_reset(struct pci_dev *pdev);
