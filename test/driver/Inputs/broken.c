#include <linux/spinlock.h>
// ERROR: {{.*}}/broken.c:[[@LINE+1]]:21: error: use of undeclared identifier 'this'
void broken(void) { this does not parse }
