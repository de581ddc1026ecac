/* ExitProcess/GetCurrentProcessId come from an import lib whose LIBRARY is "kernel32.dll",
   GetStdHandle/WriteFile from one whose LIBRARY is "KERNEL32.dll" => two import descriptors */
typedef unsigned long DWORD; typedef unsigned int UINT; typedef int BOOL; typedef void *HANDLE;
__declspec(dllimport) void __stdcall ExitProcess(UINT);
__declspec(dllimport) DWORD __stdcall GetCurrentProcessId(void);
__declspec(dllimport) HANDLE __stdcall GetStdHandle(DWORD);
__declspec(dllimport) BOOL __stdcall WriteFile(HANDLE, const void *, DWORD, DWORD *, void *);
void mainCRTStartup(void) { DWORD w; WriteFile(GetStdHandle((DWORD)-11), "dupcase\n", 8, &w, 0); ExitProcess(GetCurrentProcessId() == 0); }
