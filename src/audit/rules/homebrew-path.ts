import { homebrewPrefix } from '../build-paths.js';
import { defineAuditRule } from '../define.js';
import { recordedPaths } from '../paths.js';

/**
 * A path into a Homebrew prefix (a dylib, an rpath, a needed library): the binary works only where the same
 * formulae are installed at the same place. A warning, not an error: a Homebrew formula's own bottles link
 * Homebrew libraries by design, and the prefix is at least the same on every Homebrew machine of that kind.
 */
export default defineAuditRule({
  id: 'homebrew-path',
  severity: 'warning',
  formats: ['elf', 'macho'],
  check(f) {
    return recordedPaths(f).flatMap(({ field, path }) => {
      const prefix = homebrewPrefix(path);
      if (!prefix) return [];
      return [{ field, expected: 'no-homebrew-path', actual: path, evidence: [{ field, value: path }], args: { field, path, prefix } }];
    });
  },
});
