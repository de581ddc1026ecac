/* stub for the upward / lazy dylib samples */
int upward_fn(void){ return 5; }
