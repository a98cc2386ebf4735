// RUN: %kdlint-kbuild %s 2>&1 | FileCheck %s --check-prefix=DEFAULT --implicit-check-not="warning:"
// RUN: %kdlint-kbuild --checks=-*,kernel-iomem-deref-ram %s 2>&1 | FileCheck %s --check-prefix=RAM --implicit-check-not="warning:" --implicit-check-not="note:"
// RAM shared with firmware, mapped write-combined or cacheable and used as
// memory on purpose: kernel-iomem-deref-ram (off by default), not
// kernel-iomem-deref, which keeps reporting real MMIO touched directly.
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/io.h>
#include <linux/string.h>
#include <linux/sizes.h>

struct mbox_shm {
	u32 seq;
	u32 len;
	u8 data[248];
};

struct mbox {
	struct mbox_shm __iomem *shm;	/* firmware's RAM, write-combined */
	void __iomem *log;		/* firmware's log buffer, cacheable */
	void __iomem *regs;		/* real MMIO */
};

static void mbox_post(struct mbox *mb, const void *msg, u32 len)
{
	memcpy_toio(mb->shm->data, msg, len);
	// RAM: {{.*}}shmem.c:[[@LINE+1]]:2: warning: memory-like I/O mapping 'mb->shm' accessed through '->len' directly; map RAM with memremap(), or use the MMIO accessors [kernel-iomem-deref-ram]
	mb->shm->len = len;
	// RAM: {{.*}}shmem.c:[[@LINE-10]]:27: note: 'mb->shm' is declared __iomem here
	// RAM: {{.*}}shmem.c:[[@LINE+22]]:12: note: mapped here by 'ioremap_wc'
	// RAM: {{.*}}shmem.c:[[@LINE+1]]:2: warning: 'memset' on memory-like I/O mapping 'mb->log'; use 'memset_io', or map RAM with memremap() [kernel-iomem-deref-ram]
	memset(mb->log, 0, 64);
	// RAM: {{.*}}shmem.c:[[@LINE-13]]:16: note: 'mb->log' is declared __iomem here
	// RAM: {{.*}}shmem.c:[[@LINE+21]]:12: note: mapped here by 'ioremap_cache'
	// DEFAULT: {{.*}}shmem.c:[[@LINE+1]]:2: warning: I/O memory 'mb->regs' indexed directly; use readl()/writel() or ioread32()/iowrite32() [kernel-iomem-deref]
	((u32 *)mb->regs)[1] = 1;		/* doorbell: a real MMIO bug */
	// DEFAULT: {{.*}}shmem.c:[[@LINE-16]]:16: note: 'mb->regs' is declared __iomem here
	writel(1, mb->regs + 4);
}

static int mbox_probe(struct platform_device *pdev)
{
	struct resource *shm_res = platform_get_resource(pdev, IORESOURCE_MEM, 1);
	struct mbox *mb;

	mb = devm_kzalloc(&pdev->dev, sizeof(*mb), GFP_KERNEL);
	if (!mb || !shm_res)
		return -ENOMEM;
	mb->regs = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(mb->regs))
		return PTR_ERR(mb->regs);
	mb->shm = ioremap_wc(shm_res->start, resource_size(shm_res));
	if (!mb->shm)
		return -ENOMEM;
	mb->log = ioremap_cache(shm_res->start + SZ_4K, SZ_4K);
	if (!mb->log)
		return -ENOMEM;
	platform_set_drvdata(pdev, mb);
	return 0;
}
MODULE_LICENSE("GPL");
