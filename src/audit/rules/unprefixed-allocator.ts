import { defineAuditRule } from '../define.js';

/** The C libraries whose malloc a dynamic executable can interpose, by the libc verdict. */
const INTERPOSABLE = new Set(['glibc', 'musl']);

/**
 * A dynamic executable that defines unprefixed malloc/free/calloc/realloc while loading the C library replaces the
 * allocator of the whole process, its libraries included. Needs symbols: only when libraries were looked for
 * (audit reads them); names the allocator when a fingerprint recognised one linked statically.
 */
export default defineAuditRule({
  id: 'unprefixed-allocator',
  severity: 'warning',
  formats: ['elf'],
  check(f) {
    if (f.format !== 'elf' || !f.libs || f.linkage !== 'dynamic' || f.type !== 'executable' || !INTERPOSABLE.has(f.libc)) return [];
    const defines = f.libs.definesAllocator;
    if (!defines.includes('malloc') || !defines.includes('free')) return [];
    const alloc = f.libs.libraries.find((l) => l.verdict === 'static' && (l.name === 'jemalloc' || l.name === 'mimalloc'));
    const allocator = alloc ? alloc.name + (alloc.variant ? ` (${alloc.variant})` : '') : null;
    return [{
      field: 'symbols', expected: 'libc-malloc', actual: defines,
      evidence: [...defines.map((value) => ({ field: 'defined symbol', value })), ...(f.evidence.libc ?? [])],
      args: { defines, libc: f.libc, allocator },
    }];
  },
});
