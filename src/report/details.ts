import type { BinaryFacts, Evidence, PeFacts } from '../facts/types.js';
import type { Cell } from './grid.js';
import { CELL_MAX_ITEMS, capList } from './text.js';

/** A list as a cell: "—" when empty, capped at CELL_MAX_ITEMS lines (JSON carries every entry). */
const lines = <T>(xs: readonly T[], f: (x: T) => string = String): Cell => (xs.length ? capList(xs, f) : '—');

/** Evidence per verdict, one line each, each capped (a Homebrew summary may rest on 65,536 dylibs). */
const evidence = (e: Record<string, Evidence[]>): Cell =>
  lines(Object.entries(e).filter(([, v]) => v.length), ([k, v]) => {
    const shown = v.slice(0, CELL_MAX_ITEMS).map((x) => `${x.field}=${x.value}`).join(', ');
    return `${k}: ${shown}${v.length > CELL_MAX_ITEMS ? `, … and ${v.length - CELL_MAX_ITEMS} more` : ''}`;
  });

/**
 * Format-specific rows for the per-binary table block: [label, value]. `long` adds the less often needed ones.
 * Each format has one case; the `never` default makes a new format fail to compile until it has its rows.
 */
export function detailRows(b: BinaryFacts, long: boolean): [string, Cell][] {
  switch (b.format) {
    case 'elf': {
      const e = b.elf;
      const h = b.hardening;
      const rows: [string, Cell][] = [
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
          ['version needs', lines(e.versionNeeds, (v) => `${v.file}: ${v.versions.join(' ')}`)],
          ['C++/GCC floors', [
            e.floors.glibcxx && `GLIBCXX_${e.floors.glibcxx}`, e.floors.cxxabi && `CXXABI_${e.floors.cxxabi}`, e.floors.gcc && `GCC_${e.floors.gcc}`,
          ].filter(Boolean).join(' ') || '—'],
          ['build id', e.buildId ?? e.goBuildId ?? '—'],
          ['ABI tag', e.abiTag ? `${e.abiTag.os} ${e.abiTag.version}` : '—'],
          ['toolchain', lines(e.comments)],
          ['evidence', evidence(b.evidence)],
        );
      }
      return rows;
    }
    case 'macho': {
      const m = b.macho;
      // A universal file's top-level lists hold only what every slice agrees on: where they differ, show each slice's.
      const differs = (k: NonNullable<typeof b.sliceDiffers>[number]) => !!b.slices && !!b.sliceDiffers?.includes(k);
      const dylib = (d: (typeof b.dylibs)[number]) =>
        `${d.name} (${d.kind}, ${d.class}, current ${d.currentVersion}, compat ${d.compatibilityVersion}${d.slices ? `; ${d.slices.join(' ')}` : ''})`;
      const os = (s: { platform: string | null; minOS: string | null; macho: { sdk: string | null } }) =>
        s.platform || s.minOS ? `${s.platform ?? '?'} ${s.minOS ?? '?'}${s.macho.sdk ? ` (SDK ${s.macho.sdk})` : ''}` : '—';
      const rows: [string, Cell][] = [
        ['install name', differs('installName') ? lines(b.slices!, (s) => `${s.macho.archName}: ${s.installName ?? '—'}`) : b.installName ?? '—'],
        ['dylibs', differs('dylibs') ? lines(b.slices!.flatMap((s) => s.dylibs.map((d) => `${s.macho.archName}: ${dylib(d)}`))) : lines(b.dylibs, dylib)],
        ['rpaths', differs('rpaths') ? lines(b.slices!.flatMap((s) => s.rpaths.map((r) => `${s.macho.archName}: ${r}`))) : lines(b.rpaths)],
        ['platform / min OS', b.slices ? lines(b.slices, (s) => `${s.macho.archName}: ${os(s)}`) : os(b)],
        ['linkage summary', m.linkageSummary],
      ];
      if (b.slices && m.fat) {
        const byIndex = new Map(b.slices.map((x) => [x.fatArch.index, x] as const));
        rows.push(['slices', lines(m.fat.arches, (a) => {
          const s = byIndex.get(a.index);
          const what = s ? `${s.type}, ${s.macho.linkageSummary}, ${s.dylibs.length} dylibs, ${s.rpaths.length} rpaths` : `unreadable: ${a.error}`;
          return `${a.arch} @${a.offset} (${a.size} bytes): ${what}`;
        })]);
      }
      if (long) {
        const sig = (x: typeof m) => `code signature ${x.codeSignature ? `${x.codeSignature.datasize} bytes` : 'none'}, ` +
          `chained fixups ${x.chainedFixups ? 'yes' : 'no'}, dyld info ${x.dyldInfo ? 'yes' : 'no'}`;
        const each = (f: (x: typeof m) => string): Cell => (b.slices ? lines(b.slices, (s) => `${s.macho.archName}: ${f(s.macho)}`) : f(m));
        rows.push(
          ['Mach-O', each((x) => `${x.magic} ${b.endian}-endian ${x.cputype} ${x.cpusubtype} ${x.filetype}`)],
          ['flags', each((x) => x.flags.join(' ') || '—')],
          ['UUID', each((x) => x.uuid ?? '—')],
          ['signing / fixups', each(sig)],
          ['entry', each((x) => (x.main ? `LC_MAIN entryoff 0x${x.main.entryoff.toString(16)}` : x.unixThread ? 'LC_UNIXTHREAD' : '—'))],
          ['build tools', each((x) => x.buildVersions.flatMap((v) => v.tools.map((t) => `${t.tool} ${t.version}`)).join(', ') || '—')],
          ['load commands', each((x) => x.loadCommands.reduce<[string, number][]>((runs, c) => {
            const last = runs[runs.length - 1];
            if (last && last[0] === c) last[1]++;
            else runs.push([c, 1]);
            return runs;
          }, []).map(([c, n]) => (n > 1 ? `${c} ×${n}` : c)).join(' '))],
          ['evidence', evidence(b.evidence)],
        );
      }
      return rows;
    }
    case 'pe': {
      const p = b.pe;
      const fn = (i: PeFacts['imports'][number]) => i.functions.slice(0, 5).map((f) => f.name ?? `#${f.ordinal}`);
      const imp = (xs: PeFacts['imports']) => lines(xs, (i) => {
        const names = fn(i);
        return `${i.dll} [${i.class}] ${i.functions.length <= 4 ? names.join(' ') : `${names.slice(0, 4).join(' ')} … (${i.functions.length})`}`;
      });
      const ev = (k: string) => b.evidence[k]?.slice(0, CELL_MAX_ITEMS).map((x) => `${x.field}=${x.value}`).join(', ') ?? '';
      const g = p.guardCf;
      const rows: [string, Cell][] = [
        ['DLL name', b.dllName ?? '—'],
        ['CRT', [`${b.crt}${p.gccRuntime.length ? ` + ${p.gccRuntime.join(', ')}` : ''}`, `(${ev('crt')})`]],
        ['imports', imp(b.imports)],
        ['delay imports', imp(b.delayImports)],
        ['DllCharacteristics', b.dllCharacteristics.join(' ') || '—'],
        ['GUARD_CF', g.enabled && g.instrumented ? 'enabled (flag + instrumented code)'
          : g.enabled ? 'flag only: no CF_INSTRUMENTED load config, no protection'
            : g.instrumented ? 'instrumented, but GUARD_CF not set: off' : 'no'],
      ];
      if (long) {
        rows.push(
          ['PE', `${p.magic} ${p.machine} ${p.characteristics.join(' ')}`],
          ['subsystem', `${p.subsystem} ${p.subsystemVersion}`],
          ['linker', `${p.linkerVersion} (${p.toolchain})`],
          ['PDB', p.pdb ? `${p.pdb.path} ${p.pdb.id} age ${p.pdb.age}` : '—'],
          ['Rich header', p.rich
            ? `${p.rich.entries.length} entries, builds ${[...new Set(p.rich.entries.map((e) => e.build))].filter((x) => x).sort((x, y) => x - y).join(' ')}` +
              (p.rich.checksumValid ? '' : ' (checksum mismatch)')
            : 'absent'],
          ['guard flags', g.flags.join(' ') || '—'],
          ['debug directory', p.debugTypes.join(' ') || '—'],
          ['sections', p.sections.join(' ')],
          ['certificate / overlay', `${p.certificate ? `certificate ${p.certificate.size} bytes at ${p.certificate.offset}` : 'no certificate'}, ` +
            (p.overlay ? `overlay ${p.overlay.size} bytes at ${p.overlay.offset}` : 'no overlay')],
          ['evidence', evidence(b.evidence)],
        );
      }
      return rows;
    }
    default: {
      // With a union of facts types, `b` itself narrows to never here.
      const never: never = b;
      return never;
    }
  }
}
