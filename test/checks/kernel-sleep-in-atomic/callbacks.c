// RUN: %kdlint-kbuild --checks=-*,kernel-sleep-in-atomic %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// Callbacks that run in atomic context because of how they are registered.
#include <linux/module.h>
#include <linux/interrupt.h>
#include <linux/timer.h>
#include <linux/hrtimer.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/delay.h>
#include <linux/vmalloc.h>
#include <linux/mutex.h>

struct baz_priv {
	struct timer_list watchdog;
	struct hrtimer poll_timer;
	struct tasklet_struct rx_tasklet;
	struct napi_struct napi;
	struct mutex lock;
	void *scratch;
	int irq;
};

static void baz_ack(struct baz_priv *p)
{
	mutex_lock(&p->lock);
	mutex_unlock(&p->lock);
}

static irqreturn_t baz_isr(int irq, void *data)
{
	struct baz_priv *p = data;

	// CHECK: {{.*}}callbacks.c:[[@LINE+1]]:2: warning: call to 'baz_ack' may sleep while in hard-IRQ context [kernel-sleep-in-atomic]
	baz_ack(p);
	// CHECK: {{.*}}callbacks.c:[[@LINE+50]]:8: note: 'baz_isr' runs as a hard-IRQ handler: registered here by 'request_threaded_irq'
	// CHECK: {{.*}}callbacks.c:[[@LINE-11]]:2: note: 'mutex_lock' may sleep acquiring a mutex
	vfree(p->scratch);		/* vfree defers in interrupt context: fine */
	return IRQ_WAKE_THREAD;
}

static irqreturn_t baz_thread_fn(int irq, void *data)
{
	struct baz_priv *p = data;

	baz_ack(p);			/* threaded handler: may sleep */
	return IRQ_HANDLED;
}

static void baz_watchdog(struct timer_list *t)
{
	struct baz_priv *p = from_timer(p, t, watchdog);

	// CHECK: {{.*}}callbacks.c:[[@LINE+1]]:15: warning: 'kmalloc' with GFP_KERNEL may sleep while in timer (softirq) context [kernel-sleep-in-atomic]
	p->scratch = kmalloc(128, GFP_KERNEL);
	// CHECK: {{.*}}callbacks.c:[[@LINE+33]]:2: note: 'baz_watchdog' runs as a timer callback: registered here by 'timer_setup'
	// CHECK: {{.*}}callbacks.c:[[@LINE-2]]:15: note: 'kmalloc' with GFP_KERNEL may sleep: GFP_KERNEL includes __GFP_DIRECT_RECLAIM; use GFP_ATOMIC or GFP_NOWAIT here, or allocate before entering atomic context
}

static enum hrtimer_restart baz_poll(struct hrtimer *t)
{
	udelay(10);			/* busy-wait: fine */
	return HRTIMER_NORESTART;
}

static void baz_rx_tasklet(struct tasklet_struct *t)
{
	// CHECK: {{.*}}callbacks.c:[[@LINE+1]]:2: warning: sleeping function 'msleep' called while in tasklet (softirq) context [kernel-sleep-in-atomic]
	msleep(1);
	// CHECK: {{.*}}callbacks.c:[[@LINE+22]]:2: note: 'baz_rx_tasklet' runs as a tasklet: registered here by 'tasklet_setup'
	// CHECK: {{.*}}callbacks.c:[[@LINE-2]]:2: note: 'msleep' sleeps
}

static int baz_napi_poll(struct napi_struct *napi, int budget)
{
	struct sk_buff *skb = alloc_skb(1500, GFP_ATOMIC);	/* fine */

	kfree_skb(skb);
	return 0;
}

static int baz_probe(struct baz_priv *p, struct net_device *ndev)
{
	int err;

	err = request_threaded_irq(p->irq, baz_isr, baz_thread_fn, 0, "baz", p);
	if (err)
		return err;
	timer_setup(&p->watchdog, baz_watchdog, 0);
	hrtimer_init(&p->poll_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	p->poll_timer.function = baz_poll;
	tasklet_setup(&p->rx_tasklet, baz_rx_tasklet);
	netif_napi_add(ndev, &p->napi, baz_napi_poll);
	return 0;
}

int baz_init(struct baz_priv *p, struct net_device *ndev)
{
	return baz_probe(p, ndev);
}
MODULE_LICENSE("GPL");
