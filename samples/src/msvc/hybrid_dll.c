/* "hybrid" CRT DLL (/MT vcruntime + dynamic UCRT, i.e. /MT + /NODEFAULTLIB:libucrt.lib ucrt.lib):
   memcpy/memset are linked in statically (no VCRUNTIME140 import), the UCRT is imported */
typedef unsigned long DWORD; typedef int BOOL; typedef void *HANDLE; typedef __SIZE_TYPE__ size_t;
__declspec(dllimport) int puts(const char *);
typedef void (__cdecl *_PVFV)(void);
__declspec(dllimport) void __cdecl _initterm(_PVFV *, _PVFV *);
__declspec(dllimport) DWORD __stdcall GetCurrentProcessId(void);
static void *my_memcpy(void *d, const void *s, size_t n) { char *dd = d; const char *ss = s; while (n--) *dd++ = *ss++; return d; }
static _PVFV ctors[1];
__declspec(dllexport) int hybrid_foo(char *dst, const char *src, int n) {
    my_memcpy(dst, src, (size_t)n); dst[n] = 0; puts(dst); return (int)GetCurrentProcessId(); }
BOOL __stdcall DllMain(HANDLE h, DWORD reason, void *r) { (void)h; (void)r; if (reason == 1) _initterm(ctors, ctors); return 1; }
