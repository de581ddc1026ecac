import type { BinaryFacts } from '../facts/types.js';

/**
 * Format-specific rows for the per-binary table block: [label, value]. `long` adds the less often needed ones.
 * Each format has one case; the `never` default makes a new format fail to compile until it has its rows.
 */
export function detailRows(b: BinaryFacts, long: boolean): [string, string][] {
  switch (b.format) {
    case 'elf': {
      const e = b.elf;
      const h = b.hardening;
      const rows: [string, string][] = [
        ['soname', b.soname ?? '—'],
        ['hardening', `RELRO ${h.relro}, BIND_NOW ${h.bindNow ? 'yes' : 'no'}, NX stack ${h.nxStack ? 'yes' : 'no'}, TEXTREL ${h.textrel ? 'yes' : 'no'}`],
        ['glibc floor', e.floors.glibc ?? '—'],
      ];
      if (long) {
        rows.push(
          ['ELF', `${e.class} ${b.endian}-endian ${e.machine} ${e.eType} OS/ABI ${e.osabi}`],
          ['segments', e.segments.join(' ')],
          ['DT_FLAGS', e.flags.join(' ') || '—'],
          ['DT_FLAGS_1', e.flags1.join(' ') || '—'],
          ['version needs', e.versionNeeds.map((v) => `${v.file}: ${v.versions.join(' ')}`).join('\n') || '—'],
          ['C++/GCC floors', [e.floors.glibcxx && `GLIBCXX_${e.floors.glibcxx}`, e.floors.cxxabi && `CXXABI_${e.floors.cxxabi}`, e.floors.gcc && `GCC_${e.floors.gcc}`].filter(Boolean).join(' ') || '—'],
          ['build id', e.buildId ?? e.goBuildId ?? '—'],
          ['ABI tag', e.abiTag ? `${e.abiTag.os} ${e.abiTag.version}` : '—'],
          ['toolchain', e.comments.join('\n') || '—'],
          ['evidence', Object.entries(b.evidence).filter(([, v]) => v.length).map(([k, v]) => `${k}: ${v.map((x) => `${x.field}=${x.value}`).join(', ')}`).join('\n')],
        );
      }
      return rows;
    }
    default: {
      const never: never = b.format;
      return never;
    }
  }
}
