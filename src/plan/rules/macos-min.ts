import { compareVersions } from '../../facts/versions.js';
import { defineRule } from './define.js';

/**
 * Mach-O: the minimum macOS the binary was built for (LC_BUILD_VERSION minos, or LC_VERSION_MIN_MACOSX) may not be
 * newer than the oldest macOS the plan supports. Each slice of a universal file is checked on its own. Binaries
 * for other Apple platforms (iOS…) or with no version command are not macOS binaries to check.
 */
export default defineRule({
  id: 'macos-min',
  severity: 'error',
  formats: ['macho'],
  param: (e) => e.macosMin,
  check(f, min) {
    switch (f.format) {
      case 'elf': case 'pe': return [];
      case 'macho': {
        const actual = f.minOS;
        if (actual === null || (f.platform !== null && f.platform !== 'macos') || compareVersions(actual, min) <= 0) return [];
        return [{ field: 'minos', expected: `<= ${min}`, actual, evidence: f.evidence.minOS ?? [], args: { min, actual, arch: f.arch } }];
      }
      default: {
        const never: never = f;
        return never;
      }
    }
  },
});
