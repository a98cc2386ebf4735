#include "pd.h"
#include <linux/module.h>

static u32 pd_status(struct pd_priv *p)
{
	return *(u32 *)p->regs;
}

static int pd_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct pd_priv *p;
	int err;

	p = devm_kzalloc(&pdev->dev, sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->pdev = pdev;
	err = pcim_enable_device(pdev);
	if (err)
		return err;
	p->regs = pcim_iomap(pdev, 0, 0);
	if (!p->regs)
		return -ENOMEM;
	spin_lock_init(&p->lock);
	if (!pd_status(p))
		return -ENODEV;
	return devm_request_irq(&pdev->dev, pdev->irq, pd_irq, 0, "pd", p);
}

static const struct pci_device_id pd_ids[] = {
	{ PCI_DEVICE(0x1234, 0x5678) },
	{ }
};
MODULE_DEVICE_TABLE(pci, pd_ids);

static struct pci_driver pd_driver = {
	.name = "pd",
	.id_table = pd_ids,
	.probe = pd_probe,
};
module_pci_driver(pd_driver);
MODULE_LICENSE("GPL");
