#include <stdio.h>
/* GNU nested function whose address escapes => trampoline on the stack => PT_GNU_STACK RWX */
static int apply(int (*f)(int), int v){ return f(v); }
int main(void){ int k = 3; int add(int x){ return x + k; } printf("%d\n", apply(add, 4)); return 0; }
