/* Never finishes in practice: includes itself twice per level, 2^40 times. */
#if __INCLUDE_LEVEL__ < 40
#include __FILE__
#include __FILE__
#endif
