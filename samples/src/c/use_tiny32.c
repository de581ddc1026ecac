#include <stdio.h>
int tiny_value(void);
int main(void){ printf("%d\n", tiny_value()); return 0; }
