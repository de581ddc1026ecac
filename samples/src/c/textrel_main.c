#include <stdio.h>
int gvar = 7;   /* absolute pointer stored in .text of a PIE => DT_TEXTREL */
__asm__(".text\n.globl text_ptr\ntext_ptr: .quad gvar\n");
extern int *text_ptr;
int main(void){ printf("%d\n", *text_ptr); return 0; }
