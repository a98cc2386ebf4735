#include <linux/spinlock.h>
#include <linux/delay.h>
static DEFINE_SPINLOCK(l);
// errors.test expects this finding wherever the file is analysed:
// FINDING: {{.*}}/good.c:[[@LINE+3]]:34: warning: sleeping function 'msleep' called while a spinlock is held [kernel-sleep-in-atomic]
// FINDING: {{.*}}/good.c:[[@LINE+2]]:19: note: spinlock 'l' acquired here by 'spin_lock'
// FINDING: {{.*}}/good.c:[[@LINE+1]]:34: note: 'msleep' sleeps
void good(void) { spin_lock(&l); msleep(1); spin_unlock(&l); }
