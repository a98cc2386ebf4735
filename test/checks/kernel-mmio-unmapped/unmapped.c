// RUN: %kdlint-kbuild --checks=-*,kernel-mmio-unmapped %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// RUN: printf 'CheckOptions:\n  kernel-mmio-unmapped.ConstantAddresses: true\n' > %t.yaml
// RUN: %kdlint-kbuild --config-file=%t.yaml --checks=-*,kernel-mmio-unmapped %s 2>&1 | FileCheck %s --check-prefixes=CHECK,CONST --implicit-check-not="warning:" --implicit-check-not="note:"
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/io.h>

#define MM_CTRL 0x10

static void mm_reset(struct platform_device *pdev, phys_addr_t scratch)
{
	struct resource *res = platform_get_resource(pdev, IORESOURCE_MEM, 0);

	// CHECK: {{.*}}unmapped.c:[[@LINE+1]]:2: warning: 'writel' is given 'res->start', a physical address (struct resource.start), which is not an I/O mapping; map it with ioremap() (or devm_ioremap_resource()) and pass the result [kernel-mmio-unmapped]
	writel(1, (void __iomem *)res->start + MM_CTRL);	/* physical */
	// CHECK: {{.*}}unmapped.c:[[@LINE+1]]:2: warning: 'writel' is given 'scratch', a phys_addr_t (a physical address), which is not an I/O mapping; map it with ioremap() (or devm_ioremap_resource()) and pass the result [kernel-mmio-unmapped]
	writel(0, (void __iomem *)scratch);			/* phys_addr_t */
	// A constant: only with ConstantAddresses (a fixed mapping on some arches).
	// CONST: {{.*}}unmapped.c:[[@LINE+1]]:8: warning: 'readl' is given the constant address 0xfed00000, which is not an I/O mapping; map it with ioremap() (or devm_ioremap_resource()) and pass the result [kernel-mmio-unmapped]
	(void)readl((void __iomem *)0xfed00000);		/* constant */
	// CHECK: {{.*}}unmapped.c:[[@LINE+1]]:8: warning: 'readl' is given phys_to_virt() of a device resource (the linear map covers RAM, not device memory), which is not an I/O mapping; map it with ioremap() (or devm_ioremap_resource()) and pass the result [kernel-mmio-unmapped]
	(void)readl((void __iomem *)phys_to_virt(res->start));	/* RAM mapping */
}

static int mm_probe_pci(struct pci_dev *pdev)
{
	void __iomem *bar = ioremap(pci_resource_start(pdev, 0), 0x100);

	if (!bar)
		return -ENOMEM;
	// CHECK: {{.*}}unmapped.c:[[@LINE+1]]:2: warning: 'iowrite32' is given a physical address (struct resource.start), which is not an I/O mapping; map it with ioremap() (or devm_ioremap_resource()) and pass the result [kernel-mmio-unmapped]
	iowrite32(1, (void __iomem *)pci_resource_start(pdev, 1));	/* physical */
	writel(0, bar + MM_CTRL);
	iounmap(bar);
	// CHECK: {{.*}}unmapped.c:[[@LINE+1]]:9: warning: 'readl' uses 'bar' after 'iounmap' unmapped it [kernel-mmio-unmapped]
	return readl(bar) ? 0 : -EIO;		/* used after iounmap */
	// CHECK: {{.*}}unmapped.c:[[@LINE-10]]:22: note: mapped here by 'ioremap'
	// CHECK: {{.*}}unmapped.c:[[@LINE-4]]:2: note: unmapped here by 'iounmap'
}

/* Correct: accessors get what ioremap returned. */
static int mm_ok(struct pci_dev *pdev, void __iomem *base)
{
	void __iomem *bar = ioremap(pci_resource_start(pdev, 0), 0x100);
	u32 v;

	if (!bar)
		return -ENOMEM;
	writel(1, bar + MM_CTRL);
	v = readl(bar);
	iounmap(bar);
	bar = ioremap(pci_resource_start(pdev, 0), 0x100);
	if (!bar)
		return -ENOMEM;
	writel(v, bar);
	iounmap(bar);
	writel(0, base);
	return 0;
}

/* Remapped larger when the registers need more than a page: the reads after
 * use the new mapping. */
struct vtd_unit {
	void __iomem *reg;
	phys_addr_t reg_phys;
	unsigned long reg_size;
};

int vtd_map_regs(struct vtd_unit *iommu, unsigned long map_size)
{
	iommu->reg = ioremap(iommu->reg_phys, iommu->reg_size);
	if (!iommu->reg)
		return -ENOMEM;
	if (map_size > iommu->reg_size) {
		iounmap(iommu->reg);
		iommu->reg_size = map_size;
		iommu->reg = ioremap(iommu->reg_phys, iommu->reg_size);
		if (!iommu->reg)
			return -ENOMEM;
	}
	return readl(iommu->reg + 0x10) ? 0 : -ENODEV;
}

MODULE_LICENSE("GPL");
