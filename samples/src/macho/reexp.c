/* libreexp.dylib: re-exports libfoo.dylib (LC_REEXPORT_DYLIB) and adds one symbol of its own */
int reexp_extra(void){ return 1; }
