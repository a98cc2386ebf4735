// RUN: %kdlint-kbuild --checks=-*,kernel-sleep-in-atomic %s 2>&1 | FileCheck %s --implicit-check-not="warning:"
// RUN: %kdlint-kbuild --checks=-*,kernel-*,-kernel-sleep-in-atomic %s 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty
// NOLINT suppression and --checks, as in clang-tidy.
#include <linux/module.h>
#include <linux/spinlock.h>
#include <linux/delay.h>

static DEFINE_SPINLOCK(nl_lock);

void nl_fn(void)
{
	spin_lock(&nl_lock);
	msleep(1); // NOLINT(kernel-sleep-in-atomic)
	// NOLINTNEXTLINE(kernel-*)
	msleep(2);
	msleep(3); // NOLINT(some-other-check)
	spin_unlock(&nl_lock);
}
MODULE_LICENSE("GPL");
// OFF-NOT: warning:
// CHECK: {{.*}}nolint.c:16:2: warning: sleeping function 'msleep' called while a spinlock is held [kernel-sleep-in-atomic]
// CHECK: {{.*}}nolint.c:12:2: note: spinlock 'nl_lock' acquired here by 'spin_lock'
// CHECK: {{.*}}nolint.c:16:2: note: 'msleep' sleeps
