// RUN: %kdlint-kbuild --checks=-*,kernel-alloc-free-mismatch %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:" --allow-empty
// A field two code paths fill, one with kzalloc() (the legacy attach, whose
// .release frees it) and one with devm_kzalloc() (the I2C probe, which clears
// .release): kfree() of the field is right for what reaches it. The attach
// path sets its pointer to NULL first and allocates in the same block.
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/i2c.h>
#include <media/dvb_frontend.h>

struct mt_priv {
	struct i2c_adapter *i2c;
};

static void mt_release(struct dvb_frontend *fe)
{
	kfree(fe->tuner_priv);
	fe->tuner_priv = NULL;
}

static const struct dvb_tuner_ops mt_tuner_ops = {
	.release = mt_release,
};

struct dvb_frontend *mt_attach(struct dvb_frontend *fe, struct i2c_adapter *i2c)
{
	struct mt_priv *priv = NULL;

	priv = kzalloc(sizeof(struct mt_priv), GFP_KERNEL);
	if (priv == NULL)
		return NULL;
	priv->i2c = i2c;
	memcpy(&fe->ops.tuner_ops, &mt_tuner_ops, sizeof(struct dvb_tuner_ops));
	fe->tuner_priv = priv;
	return fe;
}
EXPORT_SYMBOL_GPL(mt_attach);

static int mt_probe(struct i2c_client *client)
{
	struct dvb_frontend *fe = client->dev.platform_data;
	struct mt_priv *dev;

	dev = devm_kzalloc(&client->dev, sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	dev->i2c = client->adapter;
	memcpy(&fe->ops.tuner_ops, &mt_tuner_ops, sizeof(struct dvb_tuner_ops));
	fe->ops.tuner_ops.release = NULL;
	fe->tuner_priv = dev;
	i2c_set_clientdata(client, dev);
	return 0;
}
EXPORT_SYMBOL_GPL(mt_probe);
MODULE_LICENSE("GPL");
