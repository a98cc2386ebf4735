// SPDX-License-Identifier: GPL-2.0
/*
 * clean_uart: a platform UART-style driver that gets atomic context right:
 * allocation before the lock, GFP_ATOMIC in the IRQ handler, sleeping only in
 * the threaded handler. kdlint should stay silent.
 */
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/interrupt.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/delay.h>
#include <linux/mutex.h>

struct cuart {
	spinlock_t lock;
	struct mutex cfg_mutex;
	char *rx_buf;
	size_t rx_len;
};

static irqreturn_t cuart_irq(int irq, void *data)
{
	struct cuart *u = data;
	char *chunk = kmalloc(64, GFP_ATOMIC);

	if (!chunk)
		return IRQ_HANDLED;
	spin_lock(&u->lock);
	u->rx_len++;
	spin_unlock(&u->lock);
	kfree(chunk);
	return IRQ_WAKE_THREAD;
}

static irqreturn_t cuart_irq_thread(int irq, void *data)
{
	struct cuart *u = data;

	mutex_lock(&u->cfg_mutex);
	usleep_range(50, 100);		/* the threaded handler may sleep */
	mutex_unlock(&u->cfg_mutex);
	return IRQ_HANDLED;
}

static int cuart_set_buf(struct cuart *u, size_t len)
{
	char *buf = kzalloc(len, GFP_KERNEL);	/* before taking the lock */
	unsigned long flags;

	if (!buf)
		return -ENOMEM;
	spin_lock_irqsave(&u->lock, flags);
	swap(u->rx_buf, buf);
	u->rx_len = 0;
	spin_unlock_irqrestore(&u->lock, flags);
	kfree(buf);
	return 0;
}

static int cuart_probe(struct platform_device *pdev)
{
	struct cuart *u = devm_kzalloc(&pdev->dev, sizeof(*u), GFP_KERNEL);
	int irq = platform_get_irq(pdev, 0);

	if (!u)
		return -ENOMEM;
	if (irq < 0)
		return irq;
	spin_lock_init(&u->lock);
	mutex_init(&u->cfg_mutex);
	platform_set_drvdata(pdev, u);
	if (cuart_set_buf(u, 256))
		return -ENOMEM;
	return devm_request_threaded_irq(&pdev->dev, irq, cuart_irq, cuart_irq_thread,
					 0, "clean_uart", u);
}

static struct platform_driver cuart_driver = {
	.probe = cuart_probe,
	.driver = { .name = "clean_uart" },
};
module_platform_driver(cuart_driver);
MODULE_LICENSE("GPL");
