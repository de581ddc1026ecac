int foo(int);
int main(void){ return foo(41) == 42 ? 0 : 1; }
