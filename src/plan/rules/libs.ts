import { defineRule } from './define.js';
import { caseInsensitiveNames, fieldName, neededNames } from './fields.js';
import { baseName, matchName } from '../glob.js';
import { KNOWN_LIBS, type KnownLib } from '../known-libs.js';

/**
 * Per well-known library: "dynamic" means one of its file names is a needed library; "absent" means none is.
 * (A library linked statically leaves no name behind: "dynamic" is how a plan says "not vendored".)
 */
export default defineRule({
  id: 'libs',
  severity: 'error',
  param: (e) => e.libs,
  check(f, libs) {
    const field = fieldName(f, 'needed');
    const names = neededNames(f);
    const out = [];
    for (const [lib, expected] of Object.entries(libs) as [KnownLib, 'dynamic' | 'absent'][]) {
      const patterns: string[] = [...KNOWN_LIBS[lib][f.format]];
      const matched = names.filter((n) => matchName(patterns, baseName(n), caseInsensitiveNames(f)) !== undefined);
      if ((expected === 'dynamic') === (matched.length > 0)) continue;
      out.push({
        field, expected: expected === 'dynamic' ? patterns : `none of ${patterns.join(', ')}`, actual: matched.length ? matched : names,
        evidence: (matched.length ? matched : names).map((value) => ({ field, value })),
        args: { lib, expected, patterns, matched },
      });
    }
    return out;
  },
});
