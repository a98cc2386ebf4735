// RUN: %kdlint-kbuild --checks=-*,kernel-sleep-in-atomic %s 2>&1 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
// Every kernel-* check but this one: no sleep is reported, and the finding of
// kernel-gfp-flags in nl_alloc() shows that the file was analysed.
// RUN: %kdlint-kbuild --checks=-*,kernel-*,-kernel-sleep-in-atomic %s 2>&1 | FileCheck %s --check-prefix=OFF --implicit-check-not="warning:" --implicit-check-not="note:"
// NOLINT suppression and --checks, as in clang-tidy.
#include <linux/module.h>
#include <linux/spinlock.h>
#include <linux/delay.h>
#include <linux/slab.h>

static DEFINE_SPINLOCK(nl_lock);

void nl_fn(void)
{
	spin_lock(&nl_lock);
	msleep(1); // NOLINT(kernel-sleep-in-atomic)
	// NOLINTNEXTLINE(kernel-*)
	msleep(2);
	// CHECK: {{.*}}nolint.c:[[@LINE+1]]:2: warning: sleeping function 'msleep' called while a spinlock is held [kernel-sleep-in-atomic]
	msleep(3); // NOLINT(some-other-check)
	// CHECK: {{.*}}nolint.c:[[@LINE-6]]:2: note: spinlock 'nl_lock' acquired here by 'spin_lock'
	// CHECK: {{.*}}nolint.c:[[@LINE-2]]:2: note: 'msleep' sleeps
	spin_unlock(&nl_lock);
}

/* Not atomic: only kernel-gfp-flags has something to say here. */
void *nl_alloc(void)
{
	// OFF: {{.*}}nolint.c:[[@LINE+2]]:9: warning: 'kmalloc' with GFP_KERNEL | __GFP_DMA32: slab allocators cannot serve __GFP_DMA32 (there are no DMA32 slab caches); the flag is stripped with a warning [kernel-gfp-flags]
	// OFF: {{.*}}nolint.c:[[@LINE+1]]:9: note: GFP_KERNEL | __GFP_DMA32 is {{0x[0-9a-f]+}} in this tree, which includes __GFP_DMA32
	return kmalloc(64, GFP_KERNEL | __GFP_DMA32);
}
MODULE_LICENSE("GPL");
