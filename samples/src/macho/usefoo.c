int foo(int);
extern int bar(void) __attribute__((weak_import));
int main(void){ return foo(41) + (bar ? bar() : 0) == 49 ? 0 : 1; }
