// RUN: %kdlint-kbuild --checks=-*,kernel-region-leak %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// A setup helper that records its regions in the card's structure and fails
// half-way: the caller's error path calls the cleanup helper that releases
// what the structure records. Probe itself has no such caller.
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/ioport.h>
#include <linux/io.h>

struct card_io {
	unsigned long start;
	unsigned long size;
	int mode;
};

struct card {
	struct pci_dev *pdev;
	void __iomem *vid;
	void __iomem *ctrl;
	struct card_io cfg;
	struct card_io aux;
	unsigned long scratch;
	void __iomem *regs;
};

static void card_release_io(struct card *hw)
{
	if (hw->cfg.mode) {
		release_region(hw->cfg.start, hw->cfg.size);
		hw->cfg.mode = 0;
	}
}

static int card_setup_io(struct card *hw)
{
	hw->cfg.start = pci_resource_start(hw->pdev, 1);
	hw->cfg.size = pci_resource_len(hw->pdev, 1);
	if (!request_region(hw->cfg.start, hw->cfg.size, "card"))
		return -EBUSY;
	hw->cfg.mode = 1;
	hw->regs = pci_iomap(hw->pdev, 0, 0);
	if (!hw->regs)
		return -ENOMEM;		/* the caller calls card_release_io() */
	return 0;
}

/* The scratch port is recorded, but nothing in the driver releases it. */
static int card_setup_scratch(struct card *hw)
{
	hw->scratch = pci_resource_start(hw->pdev, 3);
	// CHECK: {{.*}}owner.c:[[@LINE+2]]:7: warning: I/O port region from 'request_region' is not released on every path (an error path leaks it); call 'release_region' [kernel-region-leak]
	// CHECK: {{.*}}owner.c:[[@LINE+1]]:6: note: taking the false branch here
	if (!request_region(hw->scratch, 8, "card-scratch"))
		return -EBUSY;
	// CHECK: {{.*}}owner.c:[[@LINE+1]]:6: note: taking the true branch here
	if (!hw->regs)
		// CHECK: {{.*}}owner.c:[[@LINE+1]]:3: note: 'card_setup_scratch' returns here with an error and the I/O port region is still held
		return -ENODEV;
	return 0;
}

/* The caller passed the device in and releases BAR 3 on its error path. */
static int card_map_video(struct card *hw, struct pci_dev *dev)
{
	int ret;

	ret = pci_request_region(dev, 3, "card-video");
	if (ret < 0)
		return ret;
	hw->vid = pci_ioremap_bar(dev, 3);
	if (!hw->vid)
		return -ENOMEM;
	return 0;
}

/* The caller releases BAR 5 only when the mapping was made: when
 * pci_ioremap_bar() fails, nobody does. */
static int card_map_ctrl(struct card *hw, struct pci_dev *dev)
{
	int ret;

	// CHECK: {{.*}}owner.c:[[@LINE+1]]:8: warning: PCI region from 'pci_request_region' is not released on every path (an error path leaks it); call 'pci_release_region' [kernel-region-leak]
	ret = pci_request_region(dev, 5, "card-ctrl");
	// CHECK: {{.*}}owner.c:[[@LINE+1]]:6: note: taking the false branch here
	if (ret < 0)
		return ret;
	hw->ctrl = pci_ioremap_bar(dev, 5);
	// CHECK: {{.*}}owner.c:[[@LINE+1]]:6: note: taking the true branch here
	if (!hw->ctrl)
		// CHECK: {{.*}}owner.c:[[@LINE+1]]:3: note: 'card_map_ctrl' returns here with an error and the PCI region is still held
		return -ENOMEM;
	return 0;
}

int card_attach_ctrl(struct card *hw, struct pci_dev *pdev)
{
	int err = card_map_ctrl(hw, pdev);

	if (err && hw->ctrl) {
		iounmap(hw->ctrl);
		pci_release_region(pdev, 5);
	}
	return err;
}

/* card_resume() does not release BAR 4 when this fails. */
static int card_map_aux(struct pci_dev *dev)
{
	int ret;

	// CHECK: {{.*}}owner.c:[[@LINE+1]]:8: warning: PCI region from 'pci_request_region' is not released on every path (an error path leaks it); call 'pci_release_region' [kernel-region-leak]
	ret = pci_request_region(dev, 4, "card-aux");
	// CHECK: {{.*}}owner.c:[[@LINE+1]]:6: note: taking the false branch here
	if (ret < 0)
		return ret;
	// CHECK: {{.*}}owner.c:[[@LINE+1]]:6: note: taking the true branch here
	if (pci_resource_len(dev, 4) < 64)
		// CHECK: {{.*}}owner.c:[[@LINE+1]]:3: note: 'card_map_aux' returns here with an error and the PCI region is still held
		return -ENODEV;
	return 0;
}

static int card_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct card *hw;
	int err;

	hw = kzalloc(sizeof(*hw), GFP_KERNEL);
	if (!hw)
		return -ENOMEM;
	hw->pdev = pdev;
	err = card_setup_io(hw);
	if (err)
		goto out_release;
	err = card_setup_scratch(hw);
	if (err)
		goto out_release;
	err = card_map_video(hw, pdev);
	if (err)
		goto out_video;
	err = card_map_aux(pdev);
	if (err)
		goto out_video;
	/* Probe records the aux region too, but nobody calls remove after a
	 * failed probe. */
	hw->aux.start = pci_resource_start(pdev, 2);
	// CHECK: {{.*}}owner.c:[[@LINE+2]]:7: warning: I/O port region from 'request_region' is not released on every path (an error path leaks it); call 'release_region' [kernel-region-leak]
	// CHECK: {{.*}}owner.c:[[@LINE+1]]:6: note: taking the false branch here
	if (!request_region(hw->aux.start, 16, "card-aux")) {
		err = -EBUSY;
		goto out_video;
	}
	pci_set_drvdata(pdev, hw);
	// CHECK: {{.*}}owner.c:[[@LINE+1]]:6: note: taking the true branch here
	if (pci_enable_device(pdev)) {
		pci_release_region(pdev, 3);
		// CHECK: {{.*}}owner.c:[[@LINE+1]]:3: note: 'card_probe' returns here with an error and the I/O port region is still held
		return -EIO;
	}
	return 0;

out_video:
	if (hw->vid)
		iounmap(hw->vid);
	pci_release_region(pdev, 3);
out_release:
	card_release_io(hw);
	kfree(hw);
	return err;
}

static int card_resume(struct pci_dev *pdev)
{
	return card_map_aux(pdev);
}

static void card_remove(struct pci_dev *pdev)
{
	struct card *hw = pci_get_drvdata(pdev);

	card_release_io(hw);
	release_region(hw->aux.start, 16);
	kfree(hw);
}

static const struct pci_device_id card_ids[] = {
	{ PCI_DEVICE(0x1234, 0x5678) },
	{ }
};
MODULE_DEVICE_TABLE(pci, card_ids);

static struct pci_driver card_driver = {
	.name = "card",
	.id_table = card_ids,
	.probe = card_probe,
	.remove = card_remove,
	.resume = card_resume,
};
module_pci_driver(card_driver);
MODULE_LICENSE("GPL");
