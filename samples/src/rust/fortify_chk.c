/* LLVM's libunwind.a on Debian was built with _FORTIFY_SOURCE and references glibc's __fprintf_chk; musl lacks it */
#include <stdarg.h>
#include <stdio.h>
int __fprintf_chk(FILE *f, int fl, const char *fmt, ...){ va_list ap; va_start(ap, fmt); int r = vfprintf(f, fmt, ap); va_end(ap); (void)fl; return r; }
