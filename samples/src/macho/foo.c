int printf(const char *, ...);
int foo(int x){ printf("foo %d\n", x); return x + 1; }
