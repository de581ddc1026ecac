import { buildPrefix } from '../build-paths.js';
import { defineAuditRule } from '../define.js';

/** Drive-letter, UNC and POSIX absolute paths (lld-link on Linux writes POSIX ones). */
const ABSOLUTE = /^(?:[A-Za-z]:[\\/]|\\\\|\/)/;

/**
 * PE: the CodeView record names the PDB as the linker saw it; an absolute path (or one through a build-machine
 * directory) leaks the build machine's layout and user name into every copy shipped. A warning: it breaks nothing
 * at run time, and debuggers need some path; /PDBALTPATH:%_PDB% keeps the file name only.
 */
export default defineAuditRule({
  id: 'pdb-path',
  severity: 'warning',
  formats: ['pe'],
  check(f) {
    if (f.format !== 'pe' || !f.pe.pdb) return [];
    const path = f.pe.pdb.path;
    const absolute = ABSOLUTE.test(path);
    const hit = buildPrefix(path, true);
    if (!absolute && !hit) return [];
    return [{
      field: 'PdbFileName', expected: 'file-name-only', actual: path, evidence: [{ field: 'PdbFileName', value: path }],
      args: { path, absolute, prefix: hit?.prefix ?? null, source: hit?.source ?? null },
    }];
  },
});
