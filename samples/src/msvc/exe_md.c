typedef unsigned int UINT;
__declspec(dllimport) void __stdcall ExitProcess(UINT);
__declspec(dllimport) int md_foo(char *, const char *, int);
void mainCRTStartup(void) { char buf[32]; md_foo(buf, "md_foo via VCRUNTIME140", 23); ExitProcess(0); }
