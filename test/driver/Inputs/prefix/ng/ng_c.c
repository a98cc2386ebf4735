#include "ng.h"
#include <linux/spinlock.h>

static DEFINE_SPINLOCK(ng_c_lock);

void ng_c(void)
{
	void *p;

	spin_lock(&ng_c_lock);
	p = kzalloc(16, GFP_KERNEL);
	spin_unlock(&ng_c_lock);
	ng_work(p);
}
