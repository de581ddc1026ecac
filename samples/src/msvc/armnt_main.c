/* A Windows on ARM (ARMNT, Thumb-2) image: the machine type named in PE headers. */
int mainCRTStartup(void) { return 0; }
