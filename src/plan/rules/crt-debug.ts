import { defineRule } from './define.js';

/**
 * PE: a debug CRT (vcruntime140d, ucrtbased) is not redistributable and never belongs in a release; forbidden for
 * every binary unless the `crt` list of an artifact matching it names msvc-debug. Runs whether or not `crt` is set.
 */
export default defineRule({
  id: 'crt-debug',
  severity: 'error',
  formats: ['pe'],
  param: (e) => e.crt ?? [],
  perBinary: { merge: (lists) => lists.flat() },
  check(f, allowed) {
    switch (f.format) {
      case 'elf': case 'macho': return [];
      case 'pe':
        if (f.crt !== 'msvc-debug' || (allowed as string[]).includes('msvc-debug')) return [];
        return [{ field: 'crt', expected: 'a release CRT', actual: f.crt, evidence: f.evidence.crt ?? [], args: { actual: f.crt, dlls: f.pe.crtDlls } }];
      default: {
        const never: never = f;
        return never;
      }
    }
  },
});
