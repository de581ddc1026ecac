int OPENSSL_init_ssl(unsigned long long, const void *);
int buildfoo(void);
int puts(const char *);
int main(void){ puts("homebrew user"); return OPENSSL_init_ssl(0, 0) + buildfoo() == 4 ? 0 : 1; }
