// RUN: %kdlint-kbuild --checks=-*,kernel-sleep-in-atomic %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// The same side-effect-free condition tested twice decides both branches the
// same way: the spinlock taken when a portal is atomic is not held where the
// same flag, tested again, chose the sleeping wait.
#include <linux/module.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/delay.h>
#include <linux/io.h>

#define PORTAL_ATOMIC	BIT(0)

struct portal {
	unsigned int flags;
	unsigned int mode;
	bool polled;
	spinlock_t spinlock;
	struct mutex mutex;
	void __iomem *regs;
};

int portal_send(struct portal *io, u32 cmd)
{
	unsigned long irq_flags = 0;

	if (io->flags & PORTAL_ATOMIC)
		spin_lock_irqsave(&io->spinlock, irq_flags);
	else
		mutex_lock(&io->mutex);

	writel(cmd, io->regs);
	if (!(io->flags & PORTAL_ATOMIC))
		usleep_range(10, 20);		/* the mutex path: fine */
	else
		udelay(10);

	if (io->flags & PORTAL_ATOMIC)
		spin_unlock_irqrestore(&io->spinlock, irq_flags);
	else
		mutex_unlock(&io->mutex);
	return 0;
}

/* A flag the function sets itself where it takes the lock. */
void portal_kick(struct portal *io, bool atomic)
{
	bool locked = false;

	if (atomic) {
		spin_lock(&io->spinlock);
		locked = true;
	}
	writel(1, io->regs);
	if (!locked)
		msleep(1);			/* only when the lock was not taken */
	if (locked)
		spin_unlock(&io->spinlock);
}

/* A different condition says nothing about the lock. */
void portal_flush(struct portal *io, u32 cmd)
{
	if (io->flags & PORTAL_ATOMIC)
		spin_lock(&io->spinlock);
	if (cmd & 0x80)
		// CHECK: {{.*}}correlated.c:[[@LINE+1]]:3: warning: sleeping function 'msleep' called while a spinlock is held [kernel-sleep-in-atomic]
		msleep(1);
	// CHECK: {{.*}}correlated.c:[[@LINE-4]]:3: note: spinlock 'io->spinlock' acquired here by 'spin_lock'
	// CHECK: {{.*}}correlated.c:[[@LINE-2]]:3: note: 'msleep' sleeps
	if (io->flags & PORTAL_ATOMIC)
		spin_unlock(&io->spinlock);
}

/* The flag is written between the two tests: the second one is new. */
void portal_switch(struct portal *io, unsigned int mode)
{
	if (io->polled)
		spin_lock(&io->spinlock);
	io->polled = mode & 1;
	if (!io->polled)
		// CHECK: {{.*}}correlated.c:[[@LINE+1]]:3: warning: sleeping function 'msleep' called while a spinlock is held [kernel-sleep-in-atomic]
		msleep(1);
	// CHECK: {{.*}}correlated.c:[[@LINE-5]]:3: note: spinlock 'io->spinlock' acquired here by 'spin_lock'
	// CHECK: {{.*}}correlated.c:[[@LINE-2]]:3: note: 'msleep' sleeps
	spin_unlock(&io->spinlock);
}

MODULE_LICENSE("GPL");
