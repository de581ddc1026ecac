/**
 * Tables of well-known Windows DLLs: which are C/C++ runtimes (and which role they play in the CRT verdict), and
 * which ship with Windows. Names compare case-insensitively, as the loader compares them.
 */
import type { DllClass } from './pe.js';

export type CrtRole =
  | 'vcruntime' // VCRUNTIME140.dll, VCRUNTIME140_1.dll: the MSVC 2015+ compiler support runtime
  | 'msvcp' // MSVCP140*.dll: the MSVC 2015+ C++ standard library
  | 'vcredist' // other VC++ 2015+ redistributable DLLs: concrt140, vccorlib140, vcomp140, vcamp140, mfc140*
  | 'ucrt' // ucrtbase.dll and the api-ms-win-crt-* API sets: the Universal CRT
  | 'msvcrt' // msvcrt.dll: the OS-private VC6-era CRT MinGW links against
  | 'legacy' // msvcr70..120, msvcp60..120, crtdll, msvcrt10/20/40: pre-2015 MSVC runtimes
  | 'gcc' // GCC runtime DLLs shipped by MinGW
  | 'llvm-mingw' // LLVM MinGW runtime DLLs
  | 'cygwin'; // POSIX emulation runtimes

export interface CrtDll {
  role: CrtRole;
  /** A debug build of the runtime (not redistributable). */
  debug: boolean;
}

const CRT_PATTERNS: [RegExp, CrtRole][] = [
  [/^vcruntime1[4-9]\d(?:_1|_threads)?(d?)\.dll$/, 'vcruntime'],
  [/^msvcp1[4-9]\d(?:_1|_2|_atomic_wait|_codecvt_ids)?(d?)\.dll$/, 'msvcp'],
  [/^(?:concrt|vccorlib|vcomp|vcamp)1[4-9]\d(d?)\.dll$/, 'vcredist'],
  [/^mfcm?1[4-9]\d(?:u|[a-z]{3})?(d?)\.dll$/, 'vcredist'],
  [/^ucrtbase(d?)\.dll$/, 'ucrt'],
  [/^api-ms-win-crt-[a-z0-9-]+()\.dll$/, 'ucrt'],
  [/^msvcrt()\.dll$/, 'msvcrt'],
  [/^msvcr(?:7\d|8\d|9\d|1[0-3]\d)(d?)\.dll$/, 'legacy'],
  [/^msvcp(?:[6-9]\d|1[0-3]\d)(d?)\.dll$/, 'legacy'],
  [/^(?:concrt|vcomp|vcamp|vccorlib)1[0-3]\d(d?)\.dll$/, 'legacy'],
  [/^msvcrt(d)\.dll$/, 'legacy'],
  [/^(?:crtdll|msvcrt10|msvcrt20|msvcrt40|msvcirt)()\.dll$/, 'legacy'],
  [/^msvcirt(d)\.dll$/, 'legacy'],
  [/^(?:libgcc_s_(?:seh|dw2|sjlj)-1|libstdc\+\+-6|libwinpthread-1|libgomp-1|libquadmath-0|libgfortran-\d+)()\.dll$/, 'gcc'],
  [/^(?:libssp-0|libatomic-1|libobjc-4|libgnat-\d+|libgnarl-\d+)()\.dll$/, 'gcc'],
  [/^(?:libc\+\+|libunwind|libomp)()\.dll$/, 'llvm-mingw'],
  [/^(?:cygwin1|msys-2\.0|cyggcc_s-(?:seh-)?1|cygstdc\+\+-6|msys-gcc_s-(?:seh-)?1|msys-stdc\+\+-6)()\.dll$/, 'cygwin'],
];

/**
 * Answers by name, kept across files: thousands of binaries import the same few dozen DLLs, and each answer costs up
 * to 16 regular expressions. Bounded, so hostile names cannot grow it without end.
 */
const crtKnown = new Map<string, CrtDll | null>();
const CRT_KNOWN_MAX = 4096;

export function crtDll(name: string): CrtDll | null {
  let c = crtKnown.get(name);
  if (c === undefined) {
    c = crtDllOf(name);
    if (crtKnown.size >= CRT_KNOWN_MAX) crtKnown.clear();
    crtKnown.set(name, c);
  }
  return c && { ...c };
}

/**
 * The file the loader loads for an imported name: LoadLibrary's rule, which import tables follow too ("if the file
 * name extension is omitted, the function appends the default library extension .DLL"; a trailing "." says no
 * extension). `VCRUNTIME140` in an import table is vcruntime140.dll, and must be judged as that.
 */
export function loadedDllName(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('\\'), name.lastIndexOf('/')) + 1);
  if (base.endsWith('.')) return name.slice(0, -1);
  return base.includes('.') ? name : `${name}.dll`;
}

function crtDllOf(name: string): CrtDll | null {
  const n = loadedDllName(name).toLowerCase();
  for (const [re, role] of CRT_PATTERNS) {
    const m = re.exec(n);
    if (m) return { role, debug: m[1] === 'd' };
  }
  return null;
}

/**
 * DLLs that ship with Windows (System32 / SysWOW64, KnownDLLs and friends), plus the kernel-mode images drivers
 * import. Not exhaustive: a DLL missing here is reported as an application DLL, which is the safe direction for a
 * "what must I ship" question.
 */
const SYSTEM_DLLS = new Set([
  'kernel32.dll', 'kernelbase.dll', 'ntdll.dll', 'user32.dll', 'gdi32.dll', 'gdi32full.dll', 'win32u.dll',
  'advapi32.dll', 'sechost.dll', 'shell32.dll', 'shlwapi.dll', 'shcore.dll', 'ole32.dll', 'oleaut32.dll',
  'combase.dll', 'olepro32.dll', 'oledlg.dll', 'oleacc.dll', 'comctl32.dll', 'comdlg32.dll', 'rpcrt4.dll',
  'ws2_32.dll', 'wsock32.dll', 'mswsock.dll', 'iphlpapi.dll', 'dnsapi.dll', 'winhttp.dll', 'wininet.dll',
  'urlmon.dll', 'netapi32.dll', 'netutils.dll', 'srvcli.dll', 'wkscli.dll', 'mpr.dll', 'wldap32.dll',
  'normaliz.dll', 'nsi.dll', 'fwpuclnt.dll', 'dhcpcsvc.dll', 'wlanapi.dll', 'winnsi.dll',
  'crypt32.dll', 'cryptbase.dll', 'cryptsp.dll', 'cryptnet.dll', 'cryptui.dll', 'bcrypt.dll',
  'bcryptprimitives.dll', 'ncrypt.dll', 'secur32.dll', 'sspicli.dll', 'wintrust.dll', 'msasn1.dll', 'rsaenh.dll',
  'credui.dll', 'authz.dll', 'userenv.dll', 'profapi.dll', 'version.dll', 'winmm.dll', 'winspool.drv',
  'setupapi.dll', 'cfgmgr32.dll', 'devobj.dll', 'newdev.dll', 'hid.dll', 'winusb.dll', 'psapi.dll', 'dbghelp.dll',
  'dbgeng.dll', 'imagehlp.dll', 'powrprof.dll', 'uxtheme.dll', 'dwmapi.dll', 'imm32.dll', 'msimg32.dll',
  'usp10.dll', 'gdiplus.dll', 'windowscodecs.dll', 'propsys.dll', 'wtsapi32.dll', 'winsta.dll', 'wevtapi.dll',
  'pdh.dll', 'esent.dll', 'msi.dll', 'mscoree.dll', 'mscms.dll', 'msacm32.dll', 'avifil32.dll', 'msvfw32.dll',
  'avrt.dll', 'dsound.dll', 'dinput.dll', 'dinput8.dll', 'xinput1_4.dll', 'xinput1_3.dll', 'xinput9_1_0.dll',
  'opengl32.dll', 'glu32.dll', 'ddraw.dll', 'd3d8.dll', 'd3d9.dll', 'd3d10.dll', 'd3d10_1.dll', 'd3d11.dll',
  'd3d12.dll', 'dxgi.dll', 'd2d1.dll', 'dwrite.dll', 'dcomp.dll', 'dxcore.dll', 'd3dcompiler_47.dll', 'mf.dll',
  'mfplat.dll', 'mfreadwrite.dll', 'mfuuid.dll', 'ksuser.dll', 'mmdevapi.dll', 'audioses.dll', 'xmllite.dll',
  'rstrtmgr.dll', 'ktmw32.dll', 'virtdisk.dll', 'tdh.dll', 'wer.dll', 'faultrep.dll', 'winscard.dll',
  'activeds.dll', 'adsldpc.dll', 'ntdsapi.dll', 'samcli.dll', 'samlib.dll', 'logoncli.dll', 'clusapi.dll',
  'resutils.dll', 'wsnmp32.dll', 'snmpapi.dll', 'traffic.dll', 'rasapi32.dll', 'rasman.dll', 'tapi32.dll',
  'msctf.dll', 'sxs.dll', 'apphelp.dll', 'comsvcs.dll', 'clbcatq.dll', 'wbemuuid.dll', 'wmi.dll', 'wsmsvc.dll',
  'webservices.dll', 'httpapi.dll', 'websocket.dll', 'cabinet.dll', 'feclient.dll', 'spoolss.dll', 'cldapi.dll',
  'api-ms-win-core-synch-l1-2-0.dll', 'ntoskrnl.exe', 'hal.dll', 'ndis.sys', 'fltmgr.sys', 'wdfldr.sys',
  'cng.sys', 'ksecdd.sys', 'tbs.dll', 'vertdll.dll', 'ucrtbase_clr0400.dll', 'wow64.dll', 'wininet.dll',
  'efi.dll', 'user.exe', 'gdi.exe', 'krnl386.exe',
]);

/** API sets are virtual DLL names the loader resolves through the schema (api-ms-win-crt-* are the UCRT's). */
export function isApiSet(name: string): boolean {
  return /^(api|ext)-ms-/i.test(name);
}

export function isSystemDll(name: string): boolean {
  const n = loadedDllName(name).toLowerCase();
  return SYSTEM_DLLS.has(n) || (isApiSet(n) && !n.startsWith('api-ms-win-crt-'));
}

export function classifyDll(name: string): DllClass {
  if (crtDll(name)) return 'crt';
  if (isSystemDll(name)) return 'system';
  return 'application';
}

/**
 * KnownDLLs: the DLLs Windows maps from System32 whatever the application directory holds (the default
 * HKLM\System\CurrentControlSet\Control\Session Manager\KnownDLLs of Windows 10/11, plus ntdll.dll, which the
 * loader maps before anything else).
 */
const KNOWN_DLLS = new Set([
  'ntdll.dll', 'advapi32.dll', 'clbcatq.dll', 'combase.dll', 'comdlg32.dll', 'coml2.dll', 'difxapi.dll', 'gdi32.dll',
  'gdiplus.dll', 'imagehlp.dll', 'imm32.dll', 'kernel32.dll', 'msctf.dll', 'msvcrt.dll', 'normaliz.dll', 'nsi.dll',
  'ole32.dll', 'oleaut32.dll', 'psapi.dll', 'rpcrt4.dll', 'sechost.dll', 'setupapi.dll', 'shcore.dll', 'shell32.dll',
  'shlwapi.dll', 'user32.dll', 'wldap32.dll', 'wow64.dll', 'wow64cpu.dll', 'wow64win.dll', 'ws2_32.dll',
]);

export function isKnownDll(name: string): boolean {
  return KNOWN_DLLS.has(loadedDllName(name).toLowerCase());
}
