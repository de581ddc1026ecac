/* freestanding _start: calls into the tiny shared lib, then exit(rc) via a raw syscall */
int tiny_value(void);
void _start(void) {
  long rc = tiny_value();
#if defined(__powerpc64__) || defined(__powerpc__)
  register long r0 __asm__("r0") = 1; register long r3 __asm__("r3") = rc;
  __asm__ volatile("sc" : : "r"(r0), "r"(r3) : "memory");
#elif defined(__mips__)
  register long v0 __asm__("$2") = 4001; register long a0 __asm__("$4") = rc;
  __asm__ volatile("syscall" : : "r"(v0), "r"(a0) : "memory");
#elif defined(__i386__)
  __asm__ volatile("int $0x80" : : "a"(1), "b"(rc) : "memory");
#elif defined(__x86_64__)
  __asm__ volatile("syscall" : : "a"(60), "D"(rc) : "rcx", "r11", "memory");
#endif
  for (;;) {}
}
