int gvar = 7;   /* absolute pointer stored in .text => dynamic reloc in a RO segment => DT_TEXTREL */
__asm__(".text\n.globl text_ptr\ntext_ptr: .quad gvar\n");
int get(void){ return gvar; }
