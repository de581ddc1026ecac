/* hello.exe / delayload.exe: puts from ucrtbase.dll, mt_foo from mt_like.dll (delay-loaded in delayload.exe) */
typedef unsigned int UINT;
__declspec(dllimport) int puts(const char *);
__declspec(dllimport) void __stdcall ExitProcess(UINT);
__declspec(dllimport) int mt_foo(const char *);
void mainCRTStartup(void) { puts("hello from msvc-style exe"); mt_foo("via mt dll\n"); ExitProcess(0); }
