// RUN: %kdlint-kbuild --checks=-*,kernel-sleep-in-atomic %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// A driver flag that says "do not sleep now": the timeout handler sets
// db->in_timeout under its spinlock before calling code that tests it and
// busy-waits instead (dm9000). The same code called without setting it, or
// with another flag set, still sleeps under the lock.
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/delay.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

struct board_info {
	spinlock_t lock;
	struct mutex addr_lock;
	unsigned int in_suspend:1;
	unsigned int in_timeout:1;
	unsigned int in_reset:1;
};

static void bi_msleep(struct board_info *db, unsigned int ms)
{
	if (db->in_suspend || db->in_timeout)
		mdelay(ms);
	else
		msleep(ms);
}

static void bi_phy_write(struct net_device *dev, int reg, int value)
{
	struct board_info *db = netdev_priv(dev);

	if (!db->in_timeout)
		mutex_lock(&db->addr_lock);
	bi_msleep(db, 1);
	if (!db->in_timeout)
		mutex_unlock(&db->addr_lock);
}

static void bi_init(struct net_device *dev)
{
	bi_phy_write(dev, 0, 0x8000);
}

static void bi_timeout(struct net_device *dev, unsigned int txqueue)
{
	struct board_info *db = netdev_priv(dev);
	unsigned long flags;

	spin_lock_irqsave(&db->lock, flags);
	db->in_timeout = 1;
	bi_init(dev);
	netif_wake_queue(dev);
	db->in_timeout = 0;
	spin_unlock_irqrestore(&db->lock, flags);
}

static void bi_reset(struct net_device *dev)
{
	struct board_info *db = netdev_priv(dev);
	unsigned long flags;

	spin_lock_irqsave(&db->lock, flags);
	db->in_reset = 1;		/* not a flag the code tests */
	bi_init(dev);
	db->in_reset = 0;
	spin_unlock_irqrestore(&db->lock, flags);
}

static const struct net_device_ops bi_netdev_ops = {
	.ndo_tx_timeout = bi_timeout,
};

void bi_setup(struct net_device *dev)
{
	dev->netdev_ops = &bi_netdev_ops;
	bi_reset(dev);
}
EXPORT_SYMBOL_GPL(bi_setup);
MODULE_LICENSE("GPL");

// Findings in the order kdlint prints them.
// CHECK: {{.*}}flag-field.c:64:2: warning: call to 'bi_init' may sleep while a spinlock is held [kernel-sleep-in-atomic]
// CHECK: {{.*}}flag-field.c:62:2: note: spinlock 'db->lock' acquired here by 'spin_lock_irqsave'
// CHECK: {{.*}}flag-field.c:41:2: note: 'bi_init' calls 'bi_phy_write' here
// CHECK: {{.*}}flag-field.c:34:2: note: 'bi_phy_write' calls 'bi_msleep' here
// CHECK: {{.*}}flag-field.c:25:3: note: 'msleep' sleeps
