/* Not include-guarded: a file's own copy of the line would read it again
 * after a precompiled prefix, so no prefix is shared. */
#include <linux/slab.h>
void ng_work(void *p);
