/* minimal stand-in for MSVC delayimp.lib's __delayLoadHelper2 */
typedef unsigned long DWORD; typedef void *HMODULE; typedef void (*FARPROC)(void);
#if __SIZEOF_POINTER__ == 8
typedef unsigned long long uptr;
#define ORD_FLAG (1ULL << 63)
#else
typedef unsigned long uptr;
#define ORD_FLAG (1UL << 31)
#endif
__declspec(dllimport) HMODULE __stdcall LoadLibraryA(const char *);
__declspec(dllimport) FARPROC __stdcall GetProcAddress(HMODULE, const char *);
typedef struct { DWORD grAttrs, rvaDLLName, rvaHmod, rvaIAT, rvaINT, rvaBoundIAT, rvaUnloadIAT, dwTimeStamp; } ImgDelayDescr;
extern char __ImageBase;
FARPROC __stdcall __delayLoadHelper2(const ImgDelayDescr *d, FARPROC *slot) {
    char *base = &__ImageBase;
    HMODULE *ph = (HMODULE *)(base + d->rvaHmod);
    if (!*ph) *ph = LoadLibraryA(base + d->rvaDLLName);
    uptr e = ((uptr *)(base + d->rvaINT))[slot - (FARPROC *)(base + d->rvaIAT)];
    const char *name = (e & ORD_FLAG) ? (const char *)(e & 0xffff) : base + (DWORD)e + 2;
    return *slot = GetProcAddress(*ph, name);
}
