// RUN: %kdlint-kbuild --checks=-*,kernel-ioremap-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// Per-board init/exit pairs in a static table, copied into the device's own
// structure by probe and called through it by remove (the pattern of
// drivers/mtd/maps/pci.c: map->exit = info->exit; ... map->exit(dev, map)).
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/io.h>
#include <linux/slab.h>

struct tb_map;

struct tb_info {
	int (*init)(struct pci_dev *dev, struct tb_map *map);
	void (*exit)(struct pci_dev *dev, struct tb_map *map);
};

struct tb_map {
	void __iomem *base;
	void __iomem *csr;
	void (*exit)(struct pci_dev *dev, struct tb_map *map);
};

static int tb_a_init(struct pci_dev *dev, struct tb_map *map)
{
	map->base = ioremap(pci_resource_start(dev, 0), pci_resource_len(dev, 0));
	return map->base ? 0 : -ENOMEM;
}

static void tb_a_exit(struct pci_dev *dev, struct tb_map *map)
{
	iounmap(map->base);
}

static int tb_b_init(struct pci_dev *dev, struct tb_map *map)
{
	map->base = ioremap(pci_resource_start(dev, 1), 0x100000);
	if (!map->base)
		return -ENOMEM;
	// CHECK: {{.*}}remove-fnptr-table.c:[[@LINE+1]]:2: warning: I/O mapping from 'ioremap' stored in 'map->csr' by probe is never unmapped by the remove callback 'tb_remove'; call 'iounmap' there or use a devm_ variant [kernel-ioremap-leak]
	map->csr = ioremap(pci_resource_start(dev, 2), 0x1000);
	// CHECK: {{.*}}remove-fnptr-table.c:[[@LINE-1]]:13: note: acquired here by 'ioremap'
	if (!map->csr) {
		iounmap(map->base);
		return -ENOMEM;
	}
	return 0;
}

/* Unmaps base only: csr stays mapped after remove. */
static void tb_b_exit(struct pci_dev *dev, struct tb_map *map)
{
	iounmap(map->base);
}

static struct tb_info tb_a_info = { .init = tb_a_init, .exit = tb_a_exit };
static struct tb_info tb_b_info = { .init = tb_b_init, .exit = tb_b_exit };

static const struct pci_device_id tb_ids[] = {
	{ PCI_DEVICE(0x8086, 0x530d), .driver_data = (unsigned long)&tb_a_info },
	{ PCI_DEVICE(0x1011, 0x1065), .driver_data = (unsigned long)&tb_b_info },
	{ }
};

static int tb_probe(struct pci_dev *dev, const struct pci_device_id *id)
{
	struct tb_info *info = (struct tb_info *)id->driver_data;
	struct tb_map *map;
	int err;

	map = kzalloc(sizeof(*map), GFP_KERNEL);
	if (!map)
		return -ENOMEM;
	map->exit = info->exit;
	err = info->init(dev, map);
	if (err) {
		kfree(map);
		return err;
	}
	pci_set_drvdata(dev, map);
	return 0;
}

static void tb_remove(struct pci_dev *dev)
{
	struct tb_map *map = pci_get_drvdata(dev);

	map->exit(dev, map);
	kfree(map);
}

static struct pci_driver tb_driver = {
	.name = "tb",
	.id_table = tb_ids,
	.probe = tb_probe,
	.remove = tb_remove,
	// CHECK: {{.*}}remove-fnptr-table.c:[[@LINE-1]]:12: note: 'tb_remove' is the .remove callback of this pci_driver
};
module_pci_driver(tb_driver);
MODULE_LICENSE("GPL");
