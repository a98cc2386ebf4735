/* Never finishes in practice: includes itself twice per level, 2^40 times. */
#if __INCLUDE_LEVEL__ < 40
#include "hang.h"
#include "hang.h"
#endif
