// RUN: %kdlint-kbuild --checks=-*,kernel-sleep-in-atomic %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// Callbacks of ops tables the kernel documents as atomic: net_device_ops'
// .ndo_start_xmit/.ndo_tx_timeout/.ndo_set_rx_mode (BHs disabled under a
// spinlock) and .ndo_get_stats (RCU), Documentation/networking/netdevices.rst;
// clk_ops .enable/.disable (include/linux/clk-provider.h: "must not sleep");
// irq_chip callbacks (under desc->lock); URB completion handlers (in_interrupt()).
// Their process-context neighbours (.ndo_open, .ndo_stop, .prepare) may
// sleep, and so may a slow-bus irq_chip's (one with .irq_bus_lock).
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/clk-provider.h>
#include <linux/irq.h>
#include <linux/usb.h>
#include <linux/i2c.h>
#include <linux/regmap.h>
#include <linux/mutex.h>
#include <linux/delay.h>
#include <linux/slab.h>

struct ot_priv {
	struct mutex cmd_lock;
	struct net_device_stats stats;
	struct clk_hw hw;
	struct urb *urb;
	u8 *buf;
};

static int ot_cmd(struct ot_priv *p, int cmd)
{
	mutex_lock(&p->cmd_lock);
	msleep(1);
	mutex_unlock(&p->cmd_lock);
	return 0;
}

static netdev_tx_t ot_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct ot_priv *p = netdev_priv(dev);

	// CHECK: {{.*}}ops-tables.c:[[@LINE+1]]:2: warning: call to 'ot_cmd' may sleep while in a net_device_ops callback run with BHs disabled under a spinlock [kernel-sleep-in-atomic]
	ot_cmd(p, 1);
	// CHECK: {{.*}}ops-tables.c:[[@LINE+54]]:21: note: 'ot_xmit' runs as a net_device_ops callback (BHs disabled, spinlock held): registered here by 'net_device_ops.ndo_start_xmit'
	// CHECK: {{.*}}ops-tables.c:[[@LINE-13]]:2: note: 'mutex_lock' may sleep acquiring a mutex
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static void ot_tx_timeout(struct net_device *dev, unsigned int txqueue)
{
	// CHECK: {{.*}}ops-tables.c:[[@LINE+1]]:2: warning: sleeping function 'msleep' called while in a net_device_ops callback run with BHs disabled under a spinlock [kernel-sleep-in-atomic]
	msleep(10);
	// CHECK: {{.*}}ops-tables.c:[[@LINE+45]]:21: note: 'ot_tx_timeout' runs as a net_device_ops callback (BHs disabled, spinlock held): registered here by 'net_device_ops.ndo_tx_timeout'
	// CHECK: {{.*}}ops-tables.c:[[@LINE-2]]:2: note: 'msleep' sleeps
}

static struct net_device_stats *ot_get_stats(struct net_device *dev)
{
	struct ot_priv *p = netdev_priv(dev);

	// CHECK: {{.*}}ops-tables.c:[[@LINE+1]]:2: warning: call to 'ot_cmd' may sleep while in a net_device_ops callback run under RCU [kernel-sleep-in-atomic]
	ot_cmd(p, 2);
	// CHECK: {{.*}}ops-tables.c:[[@LINE+36]]:20: note: 'ot_get_stats' runs as a net_device_ops callback (atomic, under RCU): registered here by 'net_device_ops.ndo_get_stats'
	// CHECK: {{.*}}ops-tables.c:[[@LINE-33]]:2: note: 'mutex_lock' may sleep acquiring a mutex
	return &p->stats;
}

static void ot_set_rx_mode(struct net_device *dev)
{
	struct ot_priv *p = netdev_priv(dev);

	// CHECK: {{.*}}ops-tables.c:[[@LINE+1]]:11: warning: 'kmalloc' with GFP_KERNEL may sleep while in a net_device_ops callback run with BHs disabled under a spinlock [kernel-sleep-in-atomic]
	p->buf = kmalloc(64, GFP_KERNEL);
	// CHECK: {{.*}}ops-tables.c:[[@LINE+26]]:21: note: 'ot_set_rx_mode' runs as a net_device_ops callback (BHs disabled, spinlock held): registered here by 'net_device_ops.ndo_set_rx_mode'
	// CHECK: {{.*}}ops-tables.c:[[@LINE-2]]:11: note: 'kmalloc' with GFP_KERNEL may sleep: GFP_KERNEL includes __GFP_DIRECT_RECLAIM; use GFP_ATOMIC or GFP_NOWAIT here, or allocate before entering atomic context
}

/* Process context under rtnl_lock: sleeping is fine. */
static int ot_open(struct net_device *dev)
{
	struct ot_priv *p = netdev_priv(dev);

	return ot_cmd(p, 3);
}

static int ot_stop(struct net_device *dev)
{
	struct ot_priv *p = netdev_priv(dev);

	msleep(5);
	return ot_cmd(p, 4);
}

static const struct net_device_ops ot_netdev_ops = {
	.ndo_open		= ot_open,
	.ndo_stop		= ot_stop,
	.ndo_start_xmit		= ot_xmit,
	.ndo_tx_timeout		= ot_tx_timeout,
	.ndo_get_stats		= ot_get_stats,
	.ndo_set_rx_mode	= ot_set_rx_mode,
};

static int ot_clk_enable(struct clk_hw *hw)
{
	struct ot_priv *p = container_of(hw, struct ot_priv, hw);

	// CHECK: {{.*}}ops-tables.c:[[@LINE+1]]:9: warning: call to 'ot_cmd' may sleep while in a clk_ops callback run under the clock framework's enable spinlock [kernel-sleep-in-atomic]
	return ot_cmd(p, 5);
	// CHECK: {{.*}}ops-tables.c:[[@LINE+15]]:13: note: 'ot_clk_enable' runs as a clk_ops callback (enable_lock spinlock held, interrupts disabled): registered here by 'clk_ops.enable'
	// CHECK: {{.*}}ops-tables.c:[[@LINE-79]]:2: note: 'mutex_lock' may sleep acquiring a mutex
}

/* .prepare runs under prepare_lock, a mutex: it may sleep. */
static int ot_clk_prepare(struct clk_hw *hw)
{
	struct ot_priv *p = container_of(hw, struct ot_priv, hw);

	usleep_range(100, 200);
	return ot_cmd(p, 6);
}

static const struct clk_ops ot_clk_ops = {
	.prepare	= ot_clk_prepare,
	.enable		= ot_clk_enable,
};

static void ot_irq_mask(struct irq_data *d)
{
	struct ot_priv *p = irq_data_get_irq_chip_data(d);

	// CHECK: {{.*}}ops-tables.c:[[@LINE+1]]:2: warning: call to 'ot_cmd' may sleep while in an irq_chip callback run under the IRQ descriptor's raw spinlock [kernel-sleep-in-atomic]
	ot_cmd(p, 7);
	// CHECK: {{.*}}ops-tables.c:[[@LINE+6]]:15: note: 'ot_irq_mask' runs as an irq_chip callback (desc->lock held, interrupts disabled): registered here by 'irq_chip.irq_mask'
	// CHECK: {{.*}}ops-tables.c:[[@LINE-103]]:2: note: 'mutex_lock' may sleep acquiring a mutex
}

static struct irq_chip ot_irq_chip = {
	.name			= "ot",
	.irq_mask		= ot_irq_mask,
};

/*
 * A chip behind a slow bus (drivers/pinctrl/pinctrl-aw9523.c): .irq_bus_lock
 * puts the I2C regmap in cache-only mode, .irq_mask only updates the cache,
 * and .irq_bus_sync_unlock, outside desc->lock, writes it to the device.
 */
struct ot_expander {
	struct mutex irq_lock;
	struct regmap *regmap;
};

static void ot_exp_irq_mask(struct irq_data *d)
{
	struct ot_expander *e = irq_data_get_irq_chip_data(d);

	regmap_update_bits(e->regmap, 0x06, BIT(d->hwirq), BIT(d->hwirq));
}

static void ot_exp_irq_bus_lock(struct irq_data *d)
{
	struct ot_expander *e = irq_data_get_irq_chip_data(d);

	mutex_lock(&e->irq_lock);
	regcache_cache_only(e->regmap, true);
}

static void ot_exp_irq_bus_sync_unlock(struct irq_data *d)
{
	struct ot_expander *e = irq_data_get_irq_chip_data(d);

	regcache_cache_only(e->regmap, false);
	regcache_sync(e->regmap);
	mutex_unlock(&e->irq_lock);
}

static const struct irq_chip ot_exp_irq_chip = {
	.name			= "ot-exp",
	.irq_mask		= ot_exp_irq_mask,
	.irq_bus_lock		= ot_exp_irq_bus_lock,
	.irq_bus_sync_unlock	= ot_exp_irq_bus_sync_unlock,
};

static const struct regmap_config ot_exp_regmap = {
	.reg_bits	= 8,
	.val_bits	= 8,
	.cache_type	= REGCACHE_FLAT,
};

int ot_exp_probe(struct i2c_client *client, struct ot_expander *e)
{
	e->regmap = devm_regmap_init_i2c(client, &ot_exp_regmap);
	return PTR_ERR_OR_ZERO(e->regmap);
}

static void ot_rx_complete(struct urb *urb)
{
	struct ot_priv *p = urb->context;

	// CHECK: {{.*}}ops-tables.c:[[@LINE+1]]:2: warning: 'usb_submit_urb' with GFP_KERNEL may sleep while in a URB completion handler (interrupt context) [kernel-sleep-in-atomic]
	usb_submit_urb(urb, GFP_KERNEL);
	// CHECK: {{.*}}ops-tables.c:[[@LINE+12]]:2: note: 'ot_rx_complete' runs as a URB completion handler: registered here by 'usb_fill_bulk_urb'
	// CHECK: {{.*}}ops-tables.c:[[@LINE-2]]:2: note: 'usb_submit_urb' with GFP_KERNEL may sleep: GFP_KERNEL includes __GFP_DIRECT_RECLAIM; use GFP_ATOMIC or GFP_NOWAIT here, or allocate before entering atomic context
	p->buf[0] = 0;
}

static void ot_tx_complete(struct urb *urb)
{
	usb_submit_urb(urb, GFP_ATOMIC);	/* the right mask */
}

int ot_start_rx(struct ot_priv *p, struct usb_device *udev)
{
	usb_fill_bulk_urb(p->urb, udev, usb_rcvbulkpipe(udev, 1), p->buf, 64,
			  ot_rx_complete, p);
	p->urb->complete = ot_tx_complete;
	return usb_submit_urb(p->urb, GFP_KERNEL);
}

const struct net_device_ops *ot_ops(void) { return &ot_netdev_ops; }
const struct clk_ops *ot_clk(void) { return &ot_clk_ops; }
struct irq_chip *ot_chip(void) { return &ot_irq_chip; }
const struct irq_chip *ot_exp_chip(void) { return &ot_exp_irq_chip; }

MODULE_LICENSE("GPL");
