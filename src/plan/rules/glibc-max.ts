import { compareVersions } from '../../facts/versions.js';
import { defineRule } from './define.js';

/**
 * ELF: the highest GLIBC_x.y version the binary requires (its floor) is the oldest glibc it loads against; it may
 * not be newer than the plan's maximum. A binary needing no GLIBC_ versions holds.
 */
export default defineRule({
  id: 'glibc-max',
  severity: 'error',
  formats: ['elf'],
  param: (e) => e.glibcMax,
  check(f, max) {
    switch (f.format) {
      case 'elf': {
        const actual = f.elf.floors.glibc;
        if (actual === null || compareVersions(actual, max) <= 0) return [];
        const evidence = f.elf.versionNeeds.flatMap((n) => n.versions
          .filter((v) => v.startsWith('GLIBC_') && /^GLIBC_[\d.]+$/.test(v) && compareVersions(v.slice(6), max) > 0)
          .map((v) => ({ field: 'vna_name', value: `${n.file}: ${v}` })));
        return [{
          field: 'vna_name', expected: `<= ${max}`, actual, evidence: evidence.length ? evidence : f.evidence.glibcFloor ?? [],
          args: { max, actual },
        }];
      }
      case 'macho': case 'pe': return [];
      default: {
        const never: never = f;
        return never;
      }
    }
  },
});
