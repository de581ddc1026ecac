import { defineRule } from './define.js';

/** ELF: BIND_NOW appears as DT_BIND_NOW, DF_BIND_NOW in DT_FLAGS or DF_1_NOW in DT_FLAGS_1 (any one suffices). */
export default defineRule({
  id: 'bind-now',
  severity: 'error',
  formats: ['elf'],
  param: (e) => e.bindNow,
  check(f, expected) {
    switch (f.format) {
      case 'elf': {
        const actual = f.hardening.bindNow;
        if (actual === expected) return [];
        const evidence = f.evidence.bindNow?.length ? f.evidence.bindNow : [
          { field: 'DT_FLAGS', value: f.elf.flags.join(' ') || null },
          { field: 'DT_FLAGS_1', value: f.elf.flags1.join(' ') || null },
        ];
        return [{ field: 'BIND_NOW', expected, actual, evidence, args: { expected, actual } }];
      }
      case 'macho': case 'pe': return [];
      default: {
        const never: never = f;
        return never;
      }
    }
  },
});
