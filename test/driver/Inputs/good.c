#include <linux/spinlock.h>
#include <linux/delay.h>
static DEFINE_SPINLOCK(l);
void good(void) { spin_lock(&l); msleep(1); spin_unlock(&l); }
