import { anchored } from '../../plan/rules/fields.js';
import { defineAuditRule } from '../define.js';
import { searchPathEntries } from '../paths.js';

/** What an entry must start with to be found relative to the binary (expected, as data). */
const ANCHORS = { elf: ['$ORIGIN', '${ORIGIN}'], macho: ['@loader_path', '@executable_path'] } as const;

/**
 * A relative search-path entry (the empty one included: it means the current directory) is resolved against the
 * process's working directory, so whoever controls the directory the program is run from can plant a library in
 * it. Absolute entries are build-path's business; anchored ones ($ORIGIN, @loader_path) are safe.
 */
export default defineAuditRule({
  id: 'unanchored-search-path',
  severity: 'error',
  formats: ['elf', 'macho'],
  check(f) {
    if (f.format === 'pe') return [];
    return searchPathEntries(f)
      .filter(({ path }) => !path.startsWith('/') && !anchored(f, path))
      .map(({ field, path }) => ({
        field, expected: [...ANCHORS[f.format]], actual: path, evidence: [{ field, value: path }], args: { field, entry: path },
      }));
  },
});
