#include <linux/spinlock.h>
#include <linux/delay.h>
static DEFINE_SPINLOCK(sleepy_lock);
void sleepy(void) { spin_lock(&sleepy_lock); msleep(1); spin_unlock(&sleepy_lock); }
