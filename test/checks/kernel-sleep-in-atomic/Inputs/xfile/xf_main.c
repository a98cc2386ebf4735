#include <linux/module.h>
#include <linux/interrupt.h>
#include <linux/spinlock.h>
#include "xf.h"

static DEFINE_SPINLOCK(xf_lock);

static irqreturn_t xf_isr(int irq, void *data)
{
	struct xf_priv *p = data;

	if (!xf_hw_status(p))
		return IRQ_NONE;
	// CHECK: {{.*}}xf_main.c:[[@LINE+1]]:2: warning: call to 'xf_hw_ack' may sleep while in hard-IRQ context [kernel-sleep-in-atomic]
	xf_hw_ack(p);
	// CHECK: {{.*}}xf_main.c:[[@LINE+32]]:12: note: 'xf_isr' runs as a hard-IRQ handler: registered here by 'request_irq'
	// CHECK: {{.*}}xf_main.c:[[@LINE-2]]:2: note: 'xf_hw_ack' (defined in xf_hw.c) may sleep
	// CHECK: {{.*}}xf_hw.c:14:9: note: 'xf_hw_ack' calls 'xf_mbox_send' here
	// CHECK: {{.*}}xf_mbox.c:15:2: note: 'mutex_lock' may sleep acquiring a mutex
	return IRQ_HANDLED;
}

static irqreturn_t xf_isr_fast(int irq, void *data)
{
	xf_hw_ack_fast(data);		/* a register write: fine */
	return IRQ_HANDLED;
}

void xf_poke(struct xf_priv *p)
{
	spin_lock(&xf_lock);
	// CHECK: {{.*}}xf_main.c:[[@LINE+1]]:2: warning: call to 'xf_mbox_send' may sleep while a spinlock is held [kernel-sleep-in-atomic]
	xf_mbox_send(p, 7);
	spin_unlock(&xf_lock);
	// CHECK: {{.*}}xf_main.c:[[@LINE-4]]:2: note: spinlock 'xf_lock' acquired here by 'spin_lock'
	// CHECK: {{.*}}xf_main.c:[[@LINE-3]]:2: note: 'xf_mbox_send' (defined in xf_mbox.c) may sleep
	// CHECK: {{.*}}xf_mbox.c:15:2: note: 'mutex_lock' may sleep acquiring a mutex
}

/* Outside the lock: fine. */
void xf_poke_unlocked(struct xf_priv *p)
{
	xf_mbox_send(p, 8);
}

int xf_setup_irq(struct xf_priv *p, int irq, int irq2)
{
	int err = request_irq(irq, xf_isr, 0, "xf", p);

	if (err)
		return err;
	return request_irq(irq2, xf_isr_fast, 0, "xf-fast", p);
}

/* xf_hw_reset() sleeps through a static helper of xf_hw.c; the fast reset
 * only writes a register. */
void xf_reset_locked(struct xf_priv *p)
{
	spin_lock(&xf_lock);
	xf_hw_reset_fast(p);
	// CHECK: {{.*}}xf_main.c:[[@LINE+1]]:2: warning: call to 'xf_hw_reset' may sleep while a spinlock is held [kernel-sleep-in-atomic]
	xf_hw_reset(p);
	spin_unlock(&xf_lock);
	// CHECK: {{.*}}xf_main.c:[[@LINE-5]]:2: note: spinlock 'xf_lock' acquired here by 'spin_lock'
	// CHECK: {{.*}}xf_main.c:[[@LINE-3]]:2: note: 'xf_hw_reset' (defined in xf_hw.c) may sleep
	// CHECK: {{.*}}xf_hw.c:38:9: note: 'xf_hw_reset' calls 'xf_hw_sync' here
	// CHECK: {{.*}}xf_hw.c:32:9: note: 'xf_hw_sync' calls 'xf_mbox_send' here
	// CHECK: {{.*}}xf_mbox.c:15:2: note: 'mutex_lock' may sleep acquiring a mutex
}
