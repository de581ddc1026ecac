import { defineRule } from './define.js';

/** PE: the C runtime model (PeFacts.crt, read from the imported CRT DLLs and the linker's markers). */
export default defineRule({
  id: 'crt',
  severity: 'error',
  formats: ['pe'],
  param: (e) => e.crt,
  check(f, expected) {
    switch (f.format) {
      case 'elf': case 'macho': return [];
      case 'pe':
        if ((expected as string[]).includes(f.crt)) return [];
        return [{ field: 'crt', expected, actual: f.crt, evidence: f.evidence.crt ?? [], args: { expected, actual: f.crt } }];
      default: {
        const never: never = f;
        return never;
      }
    }
  },
});
