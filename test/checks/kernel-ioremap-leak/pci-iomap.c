// RUN: %kdlint-kbuild --checks=-*,kernel-ioremap-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// iounmap() of a pci_iomap() cookie of a memory BAR releases it (the cookie
// is an ioremap() address): not a leak and not a wrong release. A pci_iomap()
// left mapped on an error path still is.
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

struct vnic_bar {
	void __iomem *vaddr;
	unsigned long len;
};

struct vnic {
	struct pci_dev *pdev;
	struct vnic_bar bar[6];
	void __iomem *mdio;
};

static int vnic_map_bars(struct vnic *vnic, struct pci_dev *pdev)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(vnic->bar); i++) {
		if (!(pci_resource_flags(pdev, i) & IORESOURCE_MEM))
			continue;
		vnic->bar[i].len = pci_resource_len(pdev, i);
		vnic->bar[i].vaddr = pci_iomap(pdev, i, vnic->bar[i].len);
		if (!vnic->bar[i].vaddr)
			goto out_unmap;
	}
	return 0;

out_unmap:
	for (i--; i >= 0; i--)
		if (vnic->bar[i].vaddr)
			iounmap(vnic->bar[i].vaddr);
	return -EFAULT;
}

static int vnic_mdio_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct vnic *vnic;
	void __iomem *port;
	int err;

	vnic = devm_kzalloc(&pdev->dev, sizeof(*vnic), GFP_KERNEL);
	if (!vnic)
		return -ENOMEM;
	err = vnic_map_bars(vnic, pdev);
	if (err)
		return err;
	// CHECK: {{.*}}pci-iomap.c:[[@LINE+1]]:9: warning: PCI I/O mapping from 'pci_iomap' is not unmapped on every path (an error path leaks it); call 'pci_iounmap' [kernel-ioremap-leak]
	port = pci_iomap(pdev, 0, 0);
	// CHECK: {{.*}}pci-iomap.c:[[@LINE+1]]:6: note: taking the false branch here
	if (!port) {
		err = -ENXIO;
		goto err_unmap_bars;
	}
	err = pci_enable_device_mem(pdev);
	// CHECK: {{.*}}pci-iomap.c:[[@LINE+1]]:6: note: taking the false branch here
	if (err)
		goto err_pci_iomap;
	vnic->mdio = pci_iomap(pdev, 2, 0);
	// CHECK: {{.*}}pci-iomap.c:[[@LINE+1]]:6: note: taking the false branch here
	if (!vnic->mdio)
		goto err_pci_iomap;
	// CHECK: {{.*}}pci-iomap.c:[[@LINE+2]]:6: note: taking the true branch here
	// CHECK: {{.*}}pci-iomap.c:[[@LINE+2]]:3: note: 'vnic_mdio_probe' returns here with an error and the PCI I/O mapping is still mapped
	if (readl(port) == ~0u)
		return -ENODEV;
	pci_set_drvdata(pdev, vnic);
	return 0;

err_pci_iomap:
	iounmap(port);
err_unmap_bars:
	return err;
}
