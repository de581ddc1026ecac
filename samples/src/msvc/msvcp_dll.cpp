// C++-style "/MD" DLL: imports std::_Xlength_error / std::_Xout_of_range from MSVCP140.dll,
// memcpy from VCRUNTIME140.dll and puts from api-ms-win-crt-stdio-l1-1-0.dll
typedef unsigned long DWORD; typedef int BOOL; typedef void *HANDLE; typedef __SIZE_TYPE__ size_t;
extern "C" {
__declspec(dllimport) void *memcpy(void *, const void *, size_t);
__declspec(dllimport) int puts(const char *);
}
namespace std {
[[noreturn]] __declspec(dllimport) void __cdecl _Xlength_error(const char *);
[[noreturn]] __declspec(dllimport) void __cdecl _Xout_of_range(const char *);
}
extern "C" __declspec(dllexport) int msvcp_foo(char *dst, const char *src, int n) {
    if (n > 31) std::_Xlength_error("string too long");
    if (n < 0) std::_Xout_of_range("invalid position");
    memcpy(dst, src, (size_t)n); dst[n] = 0; puts(dst); return n; }
extern "C" BOOL __stdcall DllMain(HANDLE h, DWORD reason, void *r) { (void)h; (void)reason; (void)r; return 1; }
