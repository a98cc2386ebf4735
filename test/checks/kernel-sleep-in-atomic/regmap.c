// RUN: %kdlint-kbuild --checks=-*,kernel-sleep-in-atomic %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// A regmap sleeps only when its bus does: regmaps over I2C/SPI sleep, MMIO and
// syscon regmaps never do, and one whose origin this file does not show is
// not reported. The polling helpers sleep only when sleep_us is nonzero.
#include <linux/module.h>
#include <linux/version.h>
#include <linux/i2c.h>
#include <linux/spi/spi.h>
#include <linux/platform_device.h>
#include <linux/regmap.h>
#include <linux/mfd/syscon.h>
#include <linux/spinlock.h>
#include <linux/iopoll.h>
#include <linux/interrupt.h>

#define CODEC_CTRL	0x04
#define CODEC_STATUS	0x08
#define CODEC_READY	BIT(0)

struct codec_priv {
	struct regmap *regmap;		/* I2C: sleeps */
	spinlock_t lock;
	u32 cache;
};

struct pwm_priv {
	struct regmap *map;		/* MMIO: never sleeps */
	struct regmap *sys;		/* syscon: never sleeps */
	void __iomem *base;
	spinlock_t lock;
};

static const struct regmap_config codec_regmap_config = {
	.reg_bits = 8,
	.val_bits = 8,
	.max_register = 0x7f,
};

static const struct regmap_config pwm_regmap_config = {
	.reg_bits = 32,
	.val_bits = 32,
	.reg_stride = 4,
	.fast_io = true,
};

static struct regmap *codec_map(struct codec_priv *cp)
{
	return cp->regmap;
}

/* The regmap is a parameter: the caller's regmap decides. */
static int codec_set(struct regmap *map, unsigned int val)
{
	return regmap_update_bits(map, CODEC_CTRL, 0xff, val);
}

static irqreturn_t codec_irq(int irq, void *data)
{
	struct codec_priv *cp = data;
	unsigned int status;

	// CHECK: {{.*}}regmap.c:[[@LINE+1]]:2: warning: sleeping function 'regmap_read' called while in hard-IRQ context [kernel-sleep-in-atomic]
	regmap_read(cp->regmap, CODEC_STATUS, &status);
	// CHECK: {{.*}}regmap.c:[[@LINE+40]]:9: note: 'codec_irq' runs as a hard-IRQ handler: registered here by 'devm_request_irq'
	// CHECK: {{.*}}regmap.c:[[@LINE-2]]:2: note: 'regmap_read' accesses a regmap whose bus sleeps
	// CHECK: {{.*}}regmap.c:[[@LINE+33]]:15: note: the regmap is made here by 'devm_regmap_init_i2c': an I2C regmap: I2C transfers sleep
	return IRQ_HANDLED;
}

static void codec_update_locked(struct codec_priv *cp, u32 v)
{
	struct regmap *map = codec_map(cp);

	spin_lock(&cp->lock);
	cp->cache = v;
	// CHECK: {{.*}}regmap.c:[[@LINE+1]]:2: warning: sleeping function 'regmap_write' called while a spinlock is held [kernel-sleep-in-atomic]
	regmap_write(map, CODEC_CTRL, v);
	// CHECK: {{.*}}regmap.c:[[@LINE-4]]:2: note: spinlock 'cp->lock' acquired here by 'spin_lock'
	// CHECK: {{.*}}regmap.c:[[@LINE-2]]:2: note: 'regmap_write' accesses a regmap whose bus sleeps
	// CHECK: {{.*}}regmap.c:[[@LINE+19]]:15: note: the regmap is made here by 'devm_regmap_init_i2c': an I2C regmap: I2C transfers sleep
	// CHECK: {{.*}}regmap.c:[[@LINE+1]]:2: warning: call to 'codec_set' may sleep while a spinlock is held [kernel-sleep-in-atomic]
	codec_set(cp->regmap, v);
	// CHECK: {{.*}}regmap.c:[[@LINE-9]]:2: note: spinlock 'cp->lock' acquired here by 'spin_lock'
	// CHECK: {{.*}}regmap.c:[[@LINE-30]]:9: note: 'regmap_update_bits' accesses a regmap whose bus sleeps
	// CHECK: {{.*}}regmap.c:[[@LINE+14]]:15: note: the regmap is made here by 'devm_regmap_init_i2c': an I2C regmap: I2C transfers sleep
	spin_unlock(&cp->lock);
	regmap_write(map, CODEC_CTRL, v);		/* unlocked: fine */
}

static int codec_probe(struct i2c_client *client)
{
	struct codec_priv *cp;
	int irq = client->irq;

	cp = devm_kzalloc(&client->dev, sizeof(*cp), GFP_KERNEL);
	if (!cp)
		return -ENOMEM;
	spin_lock_init(&cp->lock);
	cp->regmap = devm_regmap_init_i2c(client, &codec_regmap_config);
	if (IS_ERR(cp->regmap))
		return PTR_ERR(cp->regmap);
	i2c_set_clientdata(client, cp);
	codec_update_locked(cp, 0);
	return devm_request_irq(&client->dev, irq, codec_irq, 0, "codec", cp);
}

static struct i2c_driver codec_driver = {
	.driver = { .name = "kdlint-codec" },
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
	.probe_new = codec_probe,	/* out-of-tree idiom across versions */
#else
	.probe = codec_probe,
#endif
};

/* ---- MMIO and syscon regmaps: spinlocked, never sleep -------------------- */

static irqreturn_t pwm_irq(int irq, void *data)
{
	struct pwm_priv *pp = data;
	unsigned int val;

	regmap_read(pp->map, 0x10, &val);		/* MMIO: fine */
	regmap_update_bits(pp->sys, 0x20, BIT(3), 0);	/* syscon: fine */
	codec_set(pp->map, val);			/* MMIO through a helper: fine */
	/* sleep_us == 0: regmap_read_poll_timeout only spins on an MMIO map */
	regmap_read_poll_timeout(pp->map, 0x14, val, val & 1, 0, 100);
	readl_poll_timeout_atomic(pp->base + 0x18, val, val & 1, 1, 100);
	readl_poll_timeout(pp->base + 0x18, val, val & 1, 0, 100);	/* spins: fine */
	// CHECK: {{.*}}regmap.c:[[@LINE+1]]:2: warning: sleeping function 'readl_poll_timeout' called while in hard-IRQ context [kernel-sleep-in-atomic]
	readl_poll_timeout(pp->base + 0x18, val, val & 1, 10, 100);
	// CHECK: {{.*}}regmap.c:[[@LINE+26]]:9: note: 'pwm_irq' runs as a hard-IRQ handler: registered here by 'devm_request_irq'
	// CHECK: {{.*}}regmap.c:[[@LINE-2]]:2: note: 'readl_poll_timeout' polls with sleeps
	return IRQ_HANDLED;
}

static int pwm_probe(struct platform_device *pdev)
{
	struct pwm_priv *pp;
	struct regmap *other;

	pp = devm_kzalloc(&pdev->dev, sizeof(*pp), GFP_KERNEL);
	if (!pp)
		return -ENOMEM;
	pp->base = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(pp->base))
		return PTR_ERR(pp->base);
	pp->map = devm_regmap_init_mmio(&pdev->dev, pp->base, &pwm_regmap_config);
	if (IS_ERR(pp->map))
		return PTR_ERR(pp->map);
	pp->sys = syscon_regmap_lookup_by_phandle(pdev->dev.of_node, "syscon");
	if (IS_ERR(pp->sys))
		return PTR_ERR(pp->sys);
	other = dev_get_regmap(pdev->dev.parent, NULL);	/* origin unknown here */
	spin_lock(&pp->lock);
	regmap_write(other, 0, 1);			/* not reported */
	spin_unlock(&pp->lock);
	return devm_request_irq(&pdev->dev, platform_get_irq(pdev, 0), pwm_irq, 0,
				"pwm", pp);
}

static struct platform_driver pwm_driver = {
	.driver = { .name = "kdlint-pwm" },
	.probe = pwm_probe,
};

static int __init codec_pwm_init(void)
{
	int ret = i2c_add_driver(&codec_driver);

	if (ret)
		return ret;
	return platform_driver_register(&pwm_driver);
}
module_init(codec_pwm_init);
MODULE_LICENSE("GPL");
