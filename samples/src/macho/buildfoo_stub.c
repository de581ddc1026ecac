/* stub dylib whose install name is an absolute CI build path; not committed */
int buildfoo(void){ return 3; }
