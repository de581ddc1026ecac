import { defineAuditRule } from '../define.js';

/** facts/from-macho.ts words the warning `slices differ in <what>: <detail>`; `what` is a MachoFacts field name. */
const DETAIL = /^slices differ in (\S+): ([\s\S]*)$/;

/**
 * A universal Mach-O whose slices disagree (dylibs, rpaths, minimum OS, install name…) behaves differently on Intel
 * and Apple silicon Macs: usually two builds with different settings glued together by lipo. A warning: some
 * differences are inherent (arm64 cannot target macOS before 11.0), only a person can tell which.
 */
export default defineAuditRule({
  id: 'slices-disagree',
  severity: 'warning',
  formats: ['macho'],
  wholeFile: true,
  check(f) {
    return f.warnings.filter((w) => w.code === 'macho.slices-differ').map((w) => {
      const m = DETAIL.exec(w.detail);
      const what = m ? m[1] : 'unknown', detail = m ? m[2] : w.detail;
      return { field: what, expected: 'same-in-every-slice', actual: detail, evidence: [{ field: w.code, value: w.detail }], args: { what, detail } };
    });
  },
});
