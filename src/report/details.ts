import type { BinaryFacts, PeFacts } from '../facts/types.js';

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
    case 'macho': {
      const m = b.macho;
      const dylib = (d: (typeof b.dylibs)[number]) =>
        `${d.name} (${d.kind}, ${d.class}, current ${d.currentVersion}, compat ${d.compatibilityVersion}${d.slices ? `; ${d.slices.join(' ')}` : ''})`;
      const os = (s: { platform: string | null; minOS: string | null; macho: { sdk: string | null } }) =>
        s.platform || s.minOS ? `${s.platform ?? '?'} ${s.minOS ?? '?'}${s.macho.sdk ? ` (SDK ${s.macho.sdk})` : ''}` : '—';
      const rows: [string, string][] = [
        ['install name', b.installName ?? '—'],
        ['dylibs', b.dylibs.map(dylib).join('\n') || '—'],
        ['rpaths', b.rpaths.join('\n') || '—'],
        ['platform / min OS', b.slices ? b.slices.map((s) => `${s.macho.archName}: ${os(s)}`).join('\n') : os(b)],
        ['linkage summary', m.linkageSummary],
      ];
      if (b.slices && m.fat) {
        rows.push(['slices', m.fat.arches.map((a) => {
          const s = b.slices!.find((x) => x.fatArch.index === a.index);
          const what = s ? `${s.type}, ${s.macho.linkageSummary}, ${s.dylibs.length} dylibs, ${s.rpaths.length} rpaths` : `unreadable: ${a.error}`;
          return `${a.arch} @${a.offset} (${a.size} bytes): ${what}`;
        }).join('\n')]);
      }
      if (long) {
        const sig = (x: typeof m) => `code signature ${x.codeSignature ? `${x.codeSignature.datasize} bytes` : 'none'}, chained fixups ${x.chainedFixups ? 'yes' : 'no'}, dyld info ${x.dyldInfo ? 'yes' : 'no'}`;
        const each = (f: (x: typeof m) => string) => (b.slices ? b.slices.map((s) => `${s.macho.archName}: ${f(s.macho)}`).join('\n') : f(m));
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
          ['evidence', Object.entries(b.evidence).filter(([, v]) => v.length).map(([k, v]) => `${k}: ${v.map((x) => `${x.field}=${x.value}`).join(', ')}`).join('\n')],
        );
      }
      return rows;
    }
    case 'pe': {
      const p = b.pe;
      const fn = (i: PeFacts['imports'][number]) => i.functions.map((f) => f.name ?? `#${f.ordinal}`);
      const imp = (xs: PeFacts['imports']) => xs.map((i) => {
        const names = fn(i);
        return `${i.dll} [${i.class}] ${names.length <= 4 ? names.join(' ') : `${names.slice(0, 4).join(' ')} … (${names.length})`}`;
      }).join('\n') || '—';
      const ev = (k: string) => b.evidence[k]?.map((x) => `${x.field}=${x.value}`).join(', ') ?? '';
      const g = p.guardCf;
      const rows: [string, string][] = [
        ['DLL name', b.dllName ?? '—'],
        ['CRT', `${b.crt}${p.gccRuntime.length ? ` + ${p.gccRuntime.join(', ')}` : ''}\n(${ev('crt')})`],
        ['imports', imp(b.imports)],
        ['delay imports', imp(b.delayImports)],
        ['DllCharacteristics', b.dllCharacteristics.join(' ') || '—'],
        ['GUARD_CF', g.enabled && g.instrumented ? 'enabled (flag + instrumented code)' : g.enabled ? 'flag only: no CF_INSTRUMENTED load config, no protection' : g.instrumented ? 'instrumented, but GUARD_CF not set: off' : 'no'],
      ];
      if (long) {
        rows.push(
          ['PE', `${p.magic} ${p.machine} ${p.characteristics.join(' ')}`],
          ['subsystem', `${p.subsystem} ${p.subsystemVersion}`],
          ['linker', `${p.linkerVersion} (${p.toolchain})`],
          ['PDB', p.pdb ? `${p.pdb.path} ${p.pdb.id} age ${p.pdb.age}` : '—'],
          ['Rich header', p.rich ? `${p.rich.entries.length} entries, builds ${[...new Set(p.rich.entries.map((e) => e.build))].filter((x) => x).sort((x, y) => x - y).join(' ')}${p.rich.checksumValid ? '' : ' (checksum mismatch)'}` : 'absent'],
          ['guard flags', g.flags.join(' ') || '—'],
          ['debug directory', p.debugTypes.join(' ') || '—'],
          ['sections', p.sections.join(' ')],
          ['certificate / overlay', `${p.certificate ? `certificate ${p.certificate.size} bytes at ${p.certificate.offset}` : 'no certificate'}, ${p.overlay ? `overlay ${p.overlay.size} bytes at ${p.overlay.offset}` : 'no overlay'}`],
          ['evidence', Object.entries(b.evidence).filter(([, v]) => v.length).map(([k, v]) => `${k}: ${v.map((x) => `${x.field}=${x.value}`).join(', ')}`).join('\n')],
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
