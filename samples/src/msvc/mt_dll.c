/* "/MT-like" DLL: CRT linked statically => imports KERNEL32 only */
typedef unsigned long DWORD; typedef int BOOL; typedef void *HANDLE;
__declspec(dllimport) HANDLE __stdcall GetStdHandle(DWORD);
__declspec(dllimport) BOOL __stdcall WriteFile(HANDLE, const void *, DWORD, DWORD *, void *);
static DWORD my_strlen(const char *s) { DWORD n = 0; while (s[n]) n++; return n; }
__declspec(dllexport) int mt_foo(const char *msg) { DWORD w; WriteFile(GetStdHandle((DWORD)-11), msg, my_strlen(msg), &w, 0); return (int)w; }
BOOL __stdcall DllMain(HANDLE h, DWORD reason, void *r) { (void)h; (void)reason; (void)r; return 1; }
