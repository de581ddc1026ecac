#include <stdio.h>
__declspec(dllexport) int foo(int x){ printf("foo %d\n", x); return x + 1; }
