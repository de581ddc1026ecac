import { defineRule, type Violation } from './define.js';
import { caseInsensitiveNames, fieldName, neededNames } from './fields.js';
import { baseName, matchName } from '../glob.js';
import { KNOWN_LIBS, type KnownLib } from '../known-libs.js';
import type { LibExpectation } from '../schema.js';
import type { RuleArgs } from '../model.js';
import { compareVersions } from '../../facts/versions.js';

type Args = RuleArgs['libs'];

/**
 * Per well-known library. "dynamic": one of its file names is a needed library. "absent": none is, and (when
 * libraries were looked for) no statically linked copy either. "static" / "vendored": a copy proven by its symbols or
 * version strings (facts.libs, src/facts/fingerprints.ts). { static, min }: the same as a table, plus a version
 * floor the file must state. Without facts.libs (the binary was read without looking for libraries) only the needed
 * names can be checked: a static requirement then fails with actual null, never passes on a guess.
 */
export default defineRule({
  id: 'libs',
  severity: 'error',
  param: (e) => e.libs,
  check(f, libs) {
    const field = fieldName(f, 'needed');
    const names = neededNames(f);
    const out: Violation<Args>[] = [];
    for (const [lib, want] of Object.entries(libs) as [KnownLib, LibExpectation][]) {
      if (want === 'any') continue;
      const patterns: string[] = [...KNOWN_LIBS[lib][f.format]];
      const matched = names.filter((n) => matchName(patterns, baseName(n), caseInsensitiveNames(f)) !== undefined);
      // A library with no fingerprint has no verdict: its static copies are never looked for (null, said so), and the
      // plan may only ask about its needed names (schema.ts unprovable()).
      const found = f.libs?.libraries.find((l) => l.name === lib);
      const actual: Args['actual'] = found ? found.verdict : null;
      const version = found?.version ?? null;
      const isStatic = actual === 'static';
      const fail = (expected: Args['expected'], min: string | null = null) => {
        const evidence = found?.evidence.length ? found.evidence : (matched.length ? matched : names).map((value) => ({ field, value }));
        out.push({
          field: isStatic ? 'libs' : field,
          expected: expected === 'dynamic' ? patterns : expected === 'absent' ? `none of ${patterns.join(', ')}` : expected === 'min' ? `>= ${min}` : expected,
          actual: isStatic ? `static${version ? ` ${version}` : ''}` : matched.length ? matched : names,
          evidence, args: { lib, expected, patterns, matched, actual, version, min } satisfies Args,
        });
      };
      if (want === 'dynamic') { if (matched.length === 0) fail('dynamic'); continue; }
      // Unknown (stripped, or the scan capped) rules out no copy: "absent" and "not vendored" fail on it, as "static"
      // does, never a guess either way.
      const hidden = actual === 'unknown';
      if (want === 'absent') { if (matched.length > 0 || isStatic || hidden) fail('absent'); continue; }
      if (want === 'static' || want === 'vendored') { if (!isStatic) fail('static'); continue; }
      if (want.static === true && !isStatic) fail('static');
      else if (want.static === false && (isStatic || hidden)) fail('not-static');
      else if (want.min !== undefined && (version === null || compareVersions(version, want.min) < 0)) fail('min', want.min);
    }
    return out;
  },
});
