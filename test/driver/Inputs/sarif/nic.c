// A driver with three findings, for sarif.test: a sleep under a spinlock
// (notes: the lock, the sleep), an allocator mismatch with a fix-it, and an
// I/O mapping leaked when probe fails.
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/delay.h>
#include <linux/io.h>

struct nic {
	spinlock_t lock;
	void __iomem *regs;
	u32 *ring;
};

static void nic_reset(struct nic *n)
{
	spin_lock(&n->lock);
	msleep(10);
	spin_unlock(&n->lock);
}

static void nic_free_ring(struct nic *n)
{
	vfree(n->ring);
}

static int nic_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct nic *n = devm_kzalloc(&pdev->dev, sizeof(*n), GFP_KERNEL);

	if (!n)
		return -ENOMEM;
	spin_lock_init(&n->lock);
	n->ring = kmalloc(4096, GFP_KERNEL);
	if (!n->ring)
		return -ENOMEM;
	n->regs = ioremap(pci_resource_start(pdev, 0), 4096);
	if (!n->regs)
		goto err_ring;
	if (readl(n->regs) == ~0u)
		goto err_ring;
	nic_reset(n);
	pci_set_drvdata(pdev, n);
	return 0;
err_ring:
	nic_free_ring(n);
	return -EIO;
}

static void nic_remove(struct pci_dev *pdev)
{
	struct nic *n = pci_get_drvdata(pdev);

	iounmap(n->regs);
	nic_free_ring(n);
}

static struct pci_driver nic_driver = {
	.name = "nic",
	.probe = nic_probe,
	.remove = nic_remove,
};
module_pci_driver(nic_driver);
MODULE_LICENSE("GPL");
