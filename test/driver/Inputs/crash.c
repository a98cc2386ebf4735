/* Crashes clang's preprocessor on purpose: stands for any TU that crashes kdlint. */
#pragma clang __debug crash
int crash(void) { return 0; }
