/* "/MD-like" DLL: memcpy/memset from VCRUNTIME140 (or VCRUNTIME140D for debug.dll),
   puts/_initterm from the UCRT (api-ms-win-crt-* or ucrtbased.dll), plus KERNEL32 */
typedef unsigned long DWORD; typedef int BOOL; typedef void *HANDLE; typedef __SIZE_TYPE__ size_t;
__declspec(dllimport) void *memcpy(void *, const void *, size_t);
__declspec(dllimport) void *memset(void *, int, size_t);
__declspec(dllimport) int puts(const char *);
typedef void (__cdecl *_PVFV)(void);
__declspec(dllimport) void __cdecl _initterm(_PVFV *, _PVFV *);
__declspec(dllimport) DWORD __stdcall GetCurrentProcessId(void);
static _PVFV ctors[1];
__declspec(dllexport) int md_foo(char *dst, const char *src, int n) {
    memset(dst, 0, (size_t)n + 1); memcpy(dst, src, (size_t)n); puts(dst); return (int)GetCurrentProcessId(); }
BOOL __stdcall DllMain(HANDLE h, DWORD reason, void *r) { (void)h; (void)r; if (reason == 1) _initterm(ctors, ctors); return 1; }
