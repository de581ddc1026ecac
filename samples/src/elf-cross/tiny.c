/* tiny freestanding shared library for the cross-arch (big-endian / 32-bit) ELF samples */
int tiny_value(void){ return 42; }
