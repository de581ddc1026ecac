import { defineAuditRule } from '../define.js';

/**
 * ELF: text relocations make the loader write to code pages, defeating W^X; musl, Android and SELinux policies refuse
 * them. A warning, not an error: glibc still loads such a file, and the plan's textrel rule makes it an error.
 */
export default defineAuditRule({
  id: 'text-relocations',
  severity: 'warning',
  formats: ['elf'],
  check(f) {
    if (f.format !== 'elf' || !f.hardening.textrel) return [];
    const tags = [...(f.elf.dynamicTags.includes('DT_TEXTREL') ? ['DT_TEXTREL'] : []), ...(f.elf.flags.includes('TEXTREL') ? ['DF_TEXTREL'] : [])];
    return [{ field: 'DT_TEXTREL', expected: false, actual: true, evidence: f.evidence.textrel ?? [], args: { tags } }];
  },
});
