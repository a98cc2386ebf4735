/* Never finishes in practice: its header includes itself twice per level,
 * 2^40 times (in a header, so that the probe kdlint appends to the file it
 * analyses is read once). */
#include "hang.h"
