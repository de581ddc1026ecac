#include <zlib.h>
#include <stdio.h>
int main(void){ unsigned char o[64]; uLongf n=sizeof o; compress(o,&n,(const Bytef*)"hello",5); printf("%s %lu\n", zlibVersion(), (unsigned long)n); return 0; }
