/* VS2010-era CRT: imports MSVCR100.dll */
__declspec(dllimport) int puts(const char *);
__declspec(dllimport) void exit(int);
void mainCRTStartup(void) { puts("hello from msvcr100"); exit(0); }
