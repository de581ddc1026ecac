import { defineRule } from './define.js';
import { allDeps, stepEvidence } from './deps.js';
import { fieldName } from './fields.js';

/**
 * deps.allow-provenance: every dependency found, down the loading chain, comes from an allowed place (system,
 * apple-system, homebrew, crt, bundled, other). What is not found has no provenance: deps.resolve judges that.
 * One finding per dependency.
 */
export default defineRule({
  id: 'deps-provenance',
  severity: 'error',
  resolves: true,
  param: (e) => e.deps?.['allow-provenance'],
  check(f, allow, resolved) {
    if (!resolved) return [];
    const field = fieldName(f, 'needed');
    return allDeps(resolved).flatMap(({ dep, from, depth }) => {
      if (dep.status === 'reused' || dep.provenance === null || dep.status === 'missing' || allow.includes(dep.provenance)) return [];
      return [{
        field, expected: allow, actual: dep.provenance, evidence: [{ field, value: dep.name }, ...stepEvidence(dep.steps)],
        args: { name: dep.name, from, depth, path: dep.path, provenance: dep.provenance, allow },
      }];
    });
  },
});
