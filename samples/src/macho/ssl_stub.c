/* stub for a Homebrew-installed libssl (install name /opt/homebrew/opt/openssl@3/lib/libssl.3.dylib); not committed */
int OPENSSL_init_ssl(unsigned long long opts, const void *settings){ (void)opts; (void)settings; return 1; }
