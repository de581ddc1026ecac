int upward_fn(void);
int foo(int);
int main(void){ return upward_fn() + foo(1) == 7 ? 0 : 1; }
