// RUN: %kdlint-kbuild --checks=-*,kernel-sleep-in-atomic %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// A helper that sleeps only for some values of its arguments: the caller's
// constants decide (foo(dev, false) under a spinlock only spins).
#include <linux/module.h>
#include <linux/spinlock.h>
#include <linux/delay.h>
#include <linux/slab.h>
#include <linux/hrtimer.h>
#include <linux/workqueue.h>
#include <linux/interrupt.h>
#include <linux/io.h>

#define HW_F_ATOMIC	BIT(0)
#define HW_F_RESET	BIT(1)

struct hw {
	spinlock_t lock;
	void *buf;
};

static void hw_wait(struct hw *hw, bool can_sleep)
{
	if (can_sleep)
		msleep(5);
	else
		mdelay(5);
}

static void hw_poll(struct hw *hw, unsigned int flags)
{
	if (flags & HW_F_ATOMIC)
		udelay(10);
	else
		usleep_range(10, 20);
}

/* Allocates only when the caller gives no buffer. */
static int hw_setup(struct hw *hw, void *buf)
{
	if (!buf)
		buf = kzalloc(64, GFP_KERNEL);
	hw->buf = buf;
	return buf ? 0 : -ENOMEM;
}

void hw_start(struct hw *hw)
{
	static u8 early_buf[64];
	unsigned long flags;

	spin_lock_irqsave(&hw->lock, flags);
	hw_wait(hw, false);				/* spins: fine */
	hw_poll(hw, HW_F_ATOMIC | HW_F_RESET);		/* spins: fine */
	hw_setup(hw, early_buf);			/* no allocation: fine */
	// CHECK: {{.*}}constargs.c:[[@LINE+1]]:2: warning: call to 'hw_wait' may sleep while a spinlock is held [kernel-sleep-in-atomic]
	hw_wait(hw, true);
	// CHECK: {{.*}}constargs.c:[[@LINE-6]]:2: note: spinlock 'hw->lock' acquired here by 'spin_lock_irqsave'
	// CHECK: {{.*}}constargs.c:[[@LINE-34]]:3: note: 'msleep' sleeps
	// CHECK: {{.*}}constargs.c:[[@LINE+1]]:2: warning: call to 'hw_poll' may sleep while a spinlock is held [kernel-sleep-in-atomic]
	hw_poll(hw, HW_F_RESET);
	// CHECK: {{.*}}constargs.c:[[@LINE-10]]:2: note: spinlock 'hw->lock' acquired here by 'spin_lock_irqsave'
	// CHECK: {{.*}}constargs.c:[[@LINE-28]]:3: note: 'usleep_range' sleeps
	// CHECK: {{.*}}constargs.c:[[@LINE+1]]:2: warning: call to 'hw_setup' may sleep while a spinlock is held [kernel-sleep-in-atomic]
	hw_setup(hw, NULL);
	// CHECK: {{.*}}constargs.c:[[@LINE-14]]:2: note: spinlock 'hw->lock' acquired here by 'spin_lock_irqsave'
	// CHECK: {{.*}}constargs.c:[[@LINE-25]]:9: note: 'kzalloc' with GFP_KERNEL may sleep: GFP_KERNEL includes __GFP_DIRECT_RECLAIM
	spin_unlock_irqrestore(&hw->lock, flags);
}

enum hw_action { HW_DISCOVER, HW_SETUP, HW_CONFIRM, HW_TEARDOWN };

/* Waits for the peer only after a confirm or a teardown. */
static int hw_send_action(struct hw *hw, u8 action)
{
	if (action == HW_CONFIRM || action == HW_TEARDOWN)
		msleep_interruptible(10);
	return 0;
}

/* Passes its own parameter on: sleeps when its caller says so. */
static void hw_send_locked(struct hw *hw, u8 action)
{
	spin_lock_bh(&hw->lock);
	hw_send_action(hw, HW_DISCOVER);		/* no wait: fine */
	hw_send_action(hw, HW_SETUP);			/* no wait: fine */
	// CHECK: {{.*}}constargs.c:[[@LINE+1]]:2: warning: call to 'hw_send_action' may sleep while a spinlock is held with bottom halves disabled [kernel-sleep-in-atomic]
	hw_send_action(hw, HW_TEARDOWN);
	// CHECK: {{.*}}constargs.c:[[@LINE-5]]:2: note: spinlock 'hw->lock' acquired here by 'spin_lock_bh'
	// CHECK: {{.*}}constargs.c:[[@LINE-13]]:3: note: 'msleep_interruptible' sleeps
	// CHECK: {{.*}}constargs.c:[[@LINE+1]]:2: warning: call to 'hw_send_action' may sleep while a spinlock is held with bottom halves disabled [kernel-sleep-in-atomic]
	hw_send_action(hw, action);
	// CHECK: {{.*}}constargs.c:[[@LINE-9]]:2: note: spinlock 'hw->lock' acquired here by 'spin_lock_bh'
	// CHECK: {{.*}}constargs.c:[[@LINE-17]]:3: note: 'msleep_interruptible' sleeps
	spin_unlock_bh(&hw->lock);
}

void hw_actions(struct hw *hw)
{
	hw_send_locked(hw, HW_SETUP);
}

/*
 * The runtime-PM idiom (drivers/base/power/runtime.c): an asynchronous request
 * only queues work; the timer passes `autosuspend ? ASYNC | AUTO : ASYNC`, a
 * value unknown but with the ASYNC bit set on both arms.
 */
#define HW_RPM_ASYNC	BIT(0)
#define HW_RPM_AUTO	BIT(3)

struct hw_pm {
	struct hrtimer timer;
	struct work_struct work;
	bool autosuspend;
};

static int hw_rpm_suspend(struct hw_pm *pm, int rpmflags)
{
	if (rpmflags & HW_RPM_ASYNC) {
		queue_work(system_wq, &pm->work);
		return 0;
	}
	msleep(20);
	return 0;
}

static enum hrtimer_restart hw_pm_timer_fn(struct hrtimer *t)
{
	struct hw_pm *pm = container_of(t, struct hw_pm, timer);

	hw_rpm_suspend(pm, pm->autosuspend ? (HW_RPM_ASYNC | HW_RPM_AUTO) : HW_RPM_ASYNC);
	return HRTIMER_NORESTART;
}

/* Neither arm has the ASYNC bit: the synchronous path, which sleeps. */
static enum hrtimer_restart hw_pm_sync_timer_fn(struct hrtimer *t)
{
	struct hw_pm *pm = container_of(t, struct hw_pm, timer);

	// CHECK: {{.*}}constargs.c:[[@LINE+1]]:2: warning: call to 'hw_rpm_suspend' may sleep while in hrtimer (hard-IRQ) context [kernel-sleep-in-atomic]
	hw_rpm_suspend(pm, pm->autosuspend ? HW_RPM_AUTO : 0);
	// CHECK: {{.*}}constargs.c:[[@LINE+54]]:3: note: 'hw_pm_sync_timer_fn' runs as a hrtimer callback: registered here by 'hrtimer.function'
	// CHECK: {{.*}}constargs.c:[[@LINE-20]]:2: note: 'msleep' sleeps
	return HRTIMER_NORESTART;
}

/*
 * Two conditions on two parameters (drivers/net/ethernet/neterion/s2io.c):
 * the wait sleeps only for a valid bit_state *and* may_sleep; an interrupt
 * handler passes a valid state with may_sleep = false.
 */
#define HW_BIT_RESET	0
#define HW_BIT_SET	1

static int hw_wait_cmd(void __iomem *addr, u64 busy_bit, int bit_state, bool may_sleep)
{
	int cnt = 0, delay = 1;

	if (bit_state != HW_BIT_RESET && bit_state != HW_BIT_SET)
		return -EINVAL;
	do {
		if (!(readq(addr) & busy_bit) == (bit_state == HW_BIT_RESET))
			return 0;
		if (!may_sleep)
			mdelay(delay);
		else
			msleep(delay);
		if (++cnt >= 10)
			delay = 50;
	} while (cnt < 20);
	return -EBUSY;
}

static irqreturn_t hw_cmd_isr(int irq, void *regs)
{
	hw_wait_cmd(regs, BIT(0), HW_BIT_RESET, false);		/* spins: fine */
	// CHECK: {{.*}}constargs.c:[[@LINE+1]]:2: warning: call to 'hw_wait_cmd' may sleep while in hard-IRQ context [kernel-sleep-in-atomic]
	hw_wait_cmd(regs, BIT(0), HW_BIT_SET, true);
	// CHECK: {{.*}}constargs.c:[[@LINE+8]]:9: note: 'hw_cmd_isr' runs as a hard-IRQ handler: registered here by 'request_irq'
	// CHECK: {{.*}}constargs.c:[[@LINE-13]]:4: note: 'msleep' sleeps
	return IRQ_HANDLED;
}

int hw_cmd_probe(void __iomem *regs, int irq)
{
	hw_wait_cmd(regs, BIT(0), HW_BIT_RESET, true);
	return request_irq(irq, hw_cmd_isr, 0, "hw", regs);
}

void hw_pm_init(struct hw_pm *pm, bool sync)
{
	hrtimer_init(&pm->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	if (!sync)
		pm->timer.function = hw_pm_timer_fn;
	else
		pm->timer.function = hw_pm_sync_timer_fn;
}
/*
 * A disjunction of bit tests on one parameter (mpt3sas_trigger_master()):
 * only a fault or a reset raises the event with GFP_KERNEL; other triggers are
 * sent with GFP_ATOMIC. Under the lock, a device-removal trigger only spins.
 */
#define TRIG_FW_FAULT		BIT(0)
#define TRIG_ADAPTER_RESET	BIT(1)
#define TRIG_DEVICE_REMOVAL	BIT(3)

struct trig_event { u32 mask; };

static void trig_raise(struct hw *hw, struct trig_event *ev)
{
	hw->buf = kzalloc(sizeof(*ev), GFP_KERNEL);
}

static void trig_send(struct hw *hw, struct trig_event *ev)
{
	hw->buf = kzalloc(sizeof(*ev), GFP_ATOMIC);
}

static void trig_master(struct hw *hw, u32 trigger_bitmask)
{
	struct trig_event ev = { .mask = trigger_bitmask };

	if (trigger_bitmask & TRIG_FW_FAULT ||
	    trigger_bitmask & TRIG_ADAPTER_RESET)
		trig_raise(hw, &ev);
	else
		trig_send(hw, &ev);
}

static void trig_remove_device(struct hw *hw)
{
	unsigned long flags;

	spin_lock_irqsave(&hw->lock, flags);
	trig_master(hw, TRIG_DEVICE_REMOVAL);			/* GFP_ATOMIC: fine */
	// CHECK: {{.*}}constargs.c:[[@LINE+1]]:2: warning: call to 'trig_master' may sleep while a spinlock is held [kernel-sleep-in-atomic]
	trig_master(hw, TRIG_ADAPTER_RESET);
	// CHECK: {{.*}}constargs.c:[[@LINE-4]]:2: note: spinlock 'hw->lock' acquired here by 'spin_lock_irqsave'
	// CHECK: {{.*}}constargs.c:[[@LINE-14]]:3: note: 'trig_master' calls 'trig_raise' here
	// CHECK: {{.*}}constargs.c:[[@LINE-29]]:12: note: 'kzalloc' with GFP_KERNEL may sleep: GFP_KERNEL includes __GFP_DIRECT_RECLAIM
	spin_unlock_irqrestore(&hw->lock, flags);
}
EXPORT_SYMBOL_GPL(trig_remove_device);

MODULE_LICENSE("GPL");
