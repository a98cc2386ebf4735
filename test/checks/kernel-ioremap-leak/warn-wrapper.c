// RUN: %kdlint-kbuild --checks=-*,kernel-ioremap-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// if (drm_WARN_ON(&i915->drm, !addr)) return; tests the mapping as
// if (!addr) does: the condition is the macro's second argument
// (i915's ip_ver_read()). The model's condition-wrappers name it "drm_WARN_ON:1".
#include <linux/module.h>
#include <linux/pci.h>
#include <drm/drm_device.h>
#include <drm/drm_print.h>

static u32 wr_read_ver(struct drm_device *drm, struct pci_dev *pdev, u32 offset)
{
	void __iomem *addr;
	u32 val;

	addr = pci_iomap_range(pdev, 0, offset, sizeof(u32));
	if (drm_WARN_ON(drm, !addr))
		return 0;
	val = ioread32(addr);
	pci_iounmap(pdev, addr);
	return val;
}

/* The same test, but a later early return forgets the unmap. */
static u32 wr_read_ver_leak(struct drm_device *drm, struct pci_dev *pdev, u32 offset)
{
	void __iomem *addr;
	u32 val;

	// CHECK: {{.*}}warn-wrapper.c:[[@LINE+1]]:9: warning: PCI I/O mapping from 'pci_iomap_range' is not unmapped on every path; call 'pci_iounmap' [kernel-ioremap-leak]
	addr = pci_iomap_range(pdev, 0, offset, sizeof(u32));
	// CHECK: {{.*}}warn-wrapper.c:[[@LINE+1]]:6: note: taking the false branch here
	if (drm_WARN_ON(drm, !addr))
		return 0;
	val = ioread32(addr);
	// CHECK: {{.*}}warn-wrapper.c:[[@LINE+1]]:6: note: taking the true branch here
	if (drm_WARN_ON_ONCE(drm, val == ~0u))
		// CHECK: {{.*}}warn-wrapper.c:[[@LINE+1]]:3: note: 'wr_read_ver_leak' returns here and the PCI I/O mapping is still mapped
		return 0;
	pci_iounmap(pdev, addr);
	return val;
}

MODULE_LICENSE("GPL");
