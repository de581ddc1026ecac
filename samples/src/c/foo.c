#include <stdio.h>
int foo(int x){ printf("foo %d\n", x); return x+1; }
