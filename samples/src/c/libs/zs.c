#include <zstd.h>
#include <stdio.h>
int main(void){ char o[128]; size_t n = ZSTD_compress(o, sizeof o, "hello", 5, 3); printf("%s %zu\n", ZSTD_versionString(), n); return 0; }
