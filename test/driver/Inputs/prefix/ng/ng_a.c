#include "ng.h"
#include <linux/spinlock.h>

static DEFINE_SPINLOCK(ng_a_lock);

void ng_a(void)
{
	void *p;

	spin_lock(&ng_a_lock);
	p = kzalloc(16, GFP_KERNEL);
	spin_unlock(&ng_a_lock);
	ng_work(p);
}
