import { crtDll } from '../../facts/windows-dlls.js';
import { defineAuditRule } from '../define.js';

/**
 * PE: a debug C runtime (vcruntime140d.dll, ucrtbased.dll, msvcp140d.dll…) exists only where Visual Studio is
 * installed and may not be redistributed, so the binary does not start anywhere else. The same proof as the plan's
 * crt-debug rule (the CRT verdict msvc-debug), plus any debug CRT DLL named among the imports or delay imports.
 */
export default defineAuditRule({
  id: 'debug-crt',
  severity: 'error',
  formats: ['pe'],
  check(f) {
    if (f.format !== 'pe') return [];
    const dlls = [...f.imports, ...f.delayImports].map((i) => i.dll).filter((d) => crtDll(d)?.debug);
    if (f.crt !== 'msvc-debug' && dlls.length === 0) return [];
    const evidence = f.evidence.crt?.length ? f.evidence.crt : dlls.map((d) => ({ field: 'import', value: d }));
    return [{ field: 'crt', expected: 'release-crt', actual: f.crt, evidence, args: { crt: f.crt, dlls: dlls.length ? dlls : f.pe.crtDlls } }];
  },
});
