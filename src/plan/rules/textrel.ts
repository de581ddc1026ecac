import { defineRule } from './define.js';

/** ELF: text relocations (DT_TEXTREL or DF_TEXTREL) make the loader write to code pages. */
export default defineRule({
  id: 'textrel',
  severity: 'error',
  formats: ['elf'],
  param: (e) => e.textrel,
  check(f, expected) {
    switch (f.format) {
      case 'elf': {
        const actual = f.hardening.textrel;
        if (actual === expected || (expected && !actual)) return [];
        return [{ field: 'DT_TEXTREL', expected, actual, evidence: f.evidence.textrel ?? [], args: { expected, actual } }];
      }
      case 'macho': case 'pe': return [];
      default: {
        const never: never = f;
        return never;
      }
    }
  },
});
