import glibcMax from '../../plan/rules/glibc-max.js';
import { defineAuditRule } from '../define.js';

/**
 * ELF: `--glibc-max` given, a glibc floor above it means the binary does not load on the oldest system the release
 * promises. The plan's glibc-max rule decides (the same comparison and evidence); only the source of the maximum
 * differs.
 */
export default defineAuditRule({
  id: 'glibc-floor',
  severity: 'error',
  formats: ['elf'],
  check(f, ctx) {
    return ctx.glibcMax === undefined ? [] : glibcMax.check(f, ctx.glibcMax);
  },
});
