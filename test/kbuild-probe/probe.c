// SPDX-License-Identifier: GPL-2.0
/* An empty module whose only purpose is to make Kbuild hand its checker flags to
 * scripts/record-checker-args.sh (see scripts/prepare-kernels.sh). */
#include <linux/module.h>
MODULE_LICENSE("GPL");
