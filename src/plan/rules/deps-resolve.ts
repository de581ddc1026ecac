import type { Provenance } from '../../resolve/model.js';
import { matchName } from '../glob.js';
import { defineRule } from './define.js';
import { allDeps, stepEvidence } from './deps.js';
import { caseInsensitiveNames, fieldName } from './fields.js';

/** Found in one of these, a dependency is inside the shipped tree or the system. */
const INSIDE: ReadonlySet<Provenance> = new Set(['system', 'apple-system', 'bundled', 'crt']);

/**
 * deps.resolve = "inside-root": every dependency, down the loading chain, is found inside the shipped tree or
 * archive or in the system. Missing, wrong-arch, unloadable or ambiguous ones fail, unless deps.provided names them (the
 * channel installs them); so does one found elsewhere (an absolute RPATH into /opt, a Homebrew prefix). A Windows
 * C runtime DLL found is in the application directory (crt), one present is Windows' own. One finding per dependency.
 */
export default defineRule({
  id: 'deps-resolve',
  severity: 'error',
  resolves: true,
  param: (e) => (e.deps?.resolve === undefined ? undefined : { resolve: e.deps.resolve, provided: e.deps.provided ?? [] }),
  check(f, p, resolved) {
    if (!resolved) return [];
    const field = fieldName(f, 'needed');
    // The program interpreter first: without it the kernel cannot start the program at all (exec fails, ENOENT),
    // whatever else resolves (an empty root gave "plan holds").
    const interpField = fieldName(f, 'interpreter');
    const interp = resolved.findings.filter((x) => x.code === 'missing-interpreter').map((x) => ({
      field: interpField, expected: p.resolve, actual: 'missing', evidence: [{ field: interpField, value: x.name }],
      args: { name: x.name, from: x.from, depth: 0, status: 'missing', path: null, provenance: null, kind: 'interpreter' },
    }));
    return [...interp, ...allDeps(resolved).flatMap(({ dep, from, depth }) => {
      const found = dep.status === 'found' || dep.status === 'present' || dep.status === 'reused';
      if (found && (dep.status === 'reused' || (dep.provenance !== null && INSIDE.has(dep.provenance)))) return [];
      if (!found && matchName(p.provided, dep.name, caseInsensitiveNames(f)) !== undefined) return [];
      const actual = found ? dep.provenance : dep.status;
      return [{
        field, expected: p.resolve, actual, evidence: [{ field, value: dep.name }, ...stepEvidence(dep.steps)],
        args: { name: dep.name, from, depth, status: dep.status, path: dep.path, provenance: dep.provenance, kind: dep.kind },
      }];
    })];
  },
});
