int puts(const char *);
int main(void){ puts("hello mach-o"); return 0; }
