int tiny_value(void){ return 42; }
