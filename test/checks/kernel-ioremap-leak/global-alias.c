// RUN: %kdlint-kbuild --checks=-*,kernel-ioremap-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// A single-instance driver keeps its mapping in a file-scope variable and
// hands a copy to a framework structure (drivers/mtd/maps/scb2_flash.c:
// scb2_ioaddr = ioremap(...); scb2_map.virt = scb2_ioaddr). Remove unmaps
// the variable: the copy in the field is released with it.
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/io.h>
#include <linux/mtd/map.h>

static void __iomem *gw_ioaddr;
static struct map_info gw_map = { .name = "gw", .bankwidth = 1 };
static struct map_info gw_aux_map = { .name = "gw-aux", .bankwidth = 1 };

static int gw_probe(struct pci_dev *dev, const struct pci_device_id *ent)
{
	gw_ioaddr = ioremap(0xfff00000, 0x100000);
	if (!gw_ioaddr)
		return -ENOMEM;
	gw_map.phys = 0xfff00000;
	gw_map.virt = gw_ioaddr;
	gw_map.size = 0x100000;
	// CHECK: {{.*}}global-alias.c:[[@LINE+1]]:2: warning: I/O mapping from 'ioremap' stored in 'gw_aux_map.virt' by probe is never unmapped by the remove callback 'gw_remove'; call 'iounmap' there or use a devm_ variant [kernel-ioremap-leak]
	gw_aux_map.virt = ioremap(0xffe00000, 0x1000);
	// CHECK: {{.*}}global-alias.c:[[@LINE-1]]:20: note: acquired here by 'ioremap'
	if (!gw_aux_map.virt) {
		iounmap(gw_ioaddr);
		return -ENOMEM;
	}
	simple_map_init(&gw_map);
	return 0;
}

static void gw_remove(struct pci_dev *dev)
{
	iounmap(gw_ioaddr);
	gw_ioaddr = NULL;
}

static const struct pci_device_id gw_ids[] = { { PCI_DEVICE(0x1166, 0x0201) }, { } };
static struct pci_driver gw_driver = {
	.name = "gw",
	.id_table = gw_ids,
	.probe = gw_probe,
	.remove = gw_remove,
	// CHECK: {{.*}}global-alias.c:[[@LINE-1]]:12: note: 'gw_remove' is the .remove callback of this pci_driver
};
module_pci_driver(gw_driver);
MODULE_LICENSE("GPL");
