#include <linux/spinlock.h>
void broken(void) { this does not parse }
