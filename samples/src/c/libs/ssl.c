#include <openssl/ssl.h>
#include <openssl/crypto.h>
#include <stdio.h>
int main(void){ OPENSSL_init_ssl(0, NULL); SSL_CTX *c = SSL_CTX_new(TLS_client_method()); printf("%s %p\n", OpenSSL_version(OPENSSL_VERSION), (void*)c); SSL_CTX_free(c); return 0; }
