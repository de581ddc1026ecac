import { buildPrefix, homebrewPrefix } from '../build-paths.js';
import { defineAuditRule } from '../define.js';
import { recordedPaths } from '../paths.js';

/**
 * Absolute paths into a build machine (CI work dirs, home and temp directories) in search paths, needed libraries,
 * install names and dylib names: they do not exist where the binary ships, and on a shared machine whoever can
 * create that directory chooses the library that gets loaded. Homebrew paths are homebrew-path's, not repeated here.
 */
export default defineAuditRule({
  id: 'build-path',
  severity: 'error',
  formats: ['elf', 'macho'],
  check(f) {
    return recordedPaths(f).flatMap(({ field, path }) => {
      const hit = homebrewPrefix(path) ? null : buildPrefix(path);
      if (!hit) return [];
      const args = { field, path, prefix: hit.prefix, source: hit.source };
      return [{ field, expected: 'no-build-path', actual: path, evidence: [{ field, value: path }], args }];
    });
  },
});
