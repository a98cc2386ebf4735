#include "ng.h"
#include <linux/spinlock.h>

static DEFINE_SPINLOCK(ng_b_lock);

void ng_b(void)
{
	void *p;

	spin_lock(&ng_b_lock);
	p = kzalloc(16, GFP_KERNEL);
	spin_unlock(&ng_b_lock);
	ng_work(p);
}
