// RUN: %kdlint-kbuild --checks=-*,kernel-sleep-in-atomic %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// The common clock framework's rate and parent queries take prepare_lock, a
// mutex (drivers/clk/clk.c); clk_enable()/clk_disable() take a spinlock.
#include <linux/module.h>
#include <linux/clk.h>
#include <linux/spinlock.h>
#include <linux/io.h>

struct tcb_pwm {
	spinlock_t lock;
	struct clk *clk;
	void __iomem *base;
	unsigned long rate;
};

static void tcb_pwm_config(struct tcb_pwm *tp, unsigned int period_ns)
{
	unsigned long rate = clk_get_rate(tp->clk);

	writel(rate / 1000000 * period_ns / 1000, tp->base);
}

void tcb_pwm_apply(struct tcb_pwm *tp, unsigned int period_ns)
{
	spin_lock(&tp->lock);
	clk_enable(tp->clk);				/* a spinlock: fine */
	// CHECK: {{.*}}clk.c:[[@LINE+1]]:2: warning: call to 'tcb_pwm_config' may sleep while a spinlock is held [kernel-sleep-in-atomic]
	tcb_pwm_config(tp, period_ns);
	// CHECK: {{.*}}clk.c:[[@LINE-4]]:2: note: spinlock 'tp->lock' acquired here by 'spin_lock'
	// CHECK: {{.*}}clk.c:[[@LINE-12]]:23: note: 'clk_get_rate' takes the clock framework's prepare_lock mutex
	spin_unlock(&tp->lock);
}

/* The rate read before the lock is taken: fine. */
void tcb_pwm_apply_cached(struct tcb_pwm *tp, unsigned int period_ns)
{
	unsigned long rate = clk_get_rate(tp->clk);

	spin_lock(&tp->lock);
	tp->rate = rate;
	writel(rate / 1000000 * period_ns / 1000, tp->base);
	spin_unlock(&tp->lock);
}

MODULE_LICENSE("GPL");
