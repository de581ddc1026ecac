import { defineRule } from './define.js';

const RANK = { none: 0, partial: 1, full: 2 } as const;

/** ELF: at least the asked-for RELRO. partial = PT_GNU_RELRO; full = PT_GNU_RELRO with BIND_NOW. */
export default defineRule({
  id: 'relro',
  severity: 'error',
  formats: ['elf'],
  param: (e) => e.relro,
  check(f, expected) {
    switch (f.format) {
      case 'elf': {
        const actual = f.hardening.relro;
        if (RANK[actual] >= RANK[expected]) return [];
        return [{ field: 'PT_GNU_RELRO', expected, actual, evidence: f.evidence.relro ?? [], args: { expected, actual } }];
      }
      case 'macho': case 'pe': return [];
      default: {
        const never: never = f;
        return never;
      }
    }
  },
});
