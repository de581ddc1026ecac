/**
 * All prose about findings, keyed by rule id (arethetypeswrong's pattern): a rule id without an entry, or an entry
 * whose describe() does not fit the rule's args, fails to compile. Renderers word findings only through here.
 */
import type { BuildPathSource, ChangeArgs, ChangeKind, FloorName, Finding, LookedIn, RpathArgs, RuleArgs, RuleId } from './model.js';
import type { ArchiveNoteCode } from '../facts/types.js';

export interface Message<A> {
  /** A short name for the rule (SARIF rule name, JUnit, table headings). */
  title: string;
  /** One sentence about one finding. */
  describe(args: A): string;
  /** Why it matters and how to fix it (SARIF help, docs/plan.md). */
  docs: string;
}

const q = (s: string | null) => (s === null ? 'none' : `"${s}"`);
/** Entries a sentence names before "and N more": a binary may need 32,000 libraries; the finding's args keep all. */
const NAMED = 20;
const more = (xs: readonly string[]) => (xs.length > NAMED ? [...xs.slice(0, NAMED - 1), `${(xs.length - NAMED + 1).toLocaleString('en-US')} more`] : xs);
const or = (xs: readonly string[]) => {
  const s = more(xs);
  return s.length === 0 ? 'nothing' : s.length === 1 ? s[0] : `${s.slice(0, -1).join(', ')} or ${s[s.length - 1]}`;
};
const list = (xs: readonly string[]) => {
  const s = more(xs);
  return s.length === 0 ? 'none' : xs.length > NAMED ? `${s.slice(0, -1).join(', ')} and ${s[s.length - 1]}` : s.join(', ');
};
/** Where a leaked path comes from, for audit sentences (build-path, pdb-path). */
const SOURCES: Record<BuildPathSource, string> = {
  home: 'a home directory', 'macos-home': 'a macOS home directory', 'windows-home': 'a Windows user profile',
  temp: 'a temporary directory', 'macos-temp': 'the macOS temporary directory', build: 'a build chroot',
  'github-actions': 'a GitHub Actions runner', gitlab: 'a GitLab CI runner',
};
/** Where unshipped-dependency looked, as places ("… is not <place>"). */
const LOOKED_IN: Record<LookedIn, string> = {
  shipped: 'among the files shipped with it', glibc: "among glibc's own libraries", musl: "among musl's own libraries",
  bionic: "among Android's stable NDK libraries", elf: 'among the system libraries of glibc, musl or Android',
  windows: 'among Windows system and C runtime DLLs', macos: 'in macOS (/usr/lib, /System/Library)',
};
const notIn = (xs: readonly LookedIn[]) => {
  const p = xs.map((x) => LOOKED_IN[x]);
  return p.length <= 1 ? `not ${p[0] ?? 'anywhere'}` : `neither ${p.slice(0, -1).join(', ')} nor ${p[p.length - 1]}`;
};
const yes = (b: boolean | null, t: string, f: string) => (b === null ? 'unknown' : b ? t : f);

function searchPath(a: RpathArgs): string {
  const what = a.field;
  switch (a.policy) {
    case 'exact': return `${what} is [${list(a.actual)}], expected exactly [${list(a.expected ?? [])}]`;
    case 'no-absolute': return `${what} has absolute entr${a.offending.length === 1 ? 'y' : 'ies'} ${list(a.offending)}: `
      + 'the binary depends on the build machine\'s layout';
    case 'anchored-to-origin': return `${what} has entr${a.offending.length === 1 ? 'y' : 'ies'} not anchored to the binary's own location: `
      + list(a.offending.map((e) => (e === '' ? '"" (the current directory)' : e)));
  }
}

/** The one sentence for each archive note (inspect prints them; verify and audit report them as archive-member). */
export const ARCHIVE_NOTES: Record<ArchiveNoteCode, (target: string | null | undefined) => string> = {
  'absolute-name': () => 'an absolute member name: an unpacker that obeys it writes outside its directory',
  traversal: () => 'a member name with ".." can reach outside the unpack directory',
  duplicate: () => 'a second member of the same name: unpackers disagree on which one is kept',
  device: (t) => `a ${(t ?? 'device').replace('-', ' ')} member: a release has no business shipping one`,
  'link-escapes': (t) => `a link to ${q(t ?? '')}, outside the archive: not followed`,
  'zip-mismatch': (t) => `the zip's central directory and local header disagree${t ? ` (${t})` : ''}`,
  encrypted: () => 'an encrypted member: not read',
  'too-deep': (t) => `an archive nested more than ${t ?? 'the limit'} deep: not opened`,
};

/** How each library verdict reads in a sentence (libs rule, inspect --libs). */
/** "a" or "an" before an architecture's name, as it is spoken (an arm64, an x86_64, a ppc64). */
const article = (word: string) => (/^[aeiou]|^x86/i.test(word) ? 'an' : 'a');

const LIB_VERDICT_WORDS: Record<'dynamic' | 'static' | 'absent' | 'unknown', string> = {
  dynamic: 'linked dynamically',
  static: 'linked statically (a vendored copy)',
  absent: 'absent (the full symbol table and read-only data show no trace)',
  unknown: 'not found, but not ruled out (no full symbol table, or the scan was capped)',
};

/** inspect --libs: the line above each binary's library table. */
export const LIBS_WORDS = {
  summary: (found: number, absent: number, unknown: string[], view: 'full' | 'dynamic' | 'none', truncated: boolean): string => {
    const parts = [`${found} known librar${found === 1 ? 'y' : 'ies'} found`, `${absent} absent`];
    const why = view === 'full' ? 'read-only data scan capped' : `no full symbol table${truncated ? ', scan capped' : ''}`;
    if (unknown.length) parts.push(`${unknown.length} not ruled out (${why})`);
    return parts.join(', ');
  },
};

export const MESSAGES: { [K in RuleId]: Message<RuleArgs[K]> } = {
  'binary-type': {
    title: 'binary type',
    describe: (a) => `is ${article(a.actual)} ${a.actual}, expected ${or(a.expected)}`,
    docs: 'The artifact pattern matched a file of a kind the plan does not expect (an executable where a shared library was planned, or '
      + 'the reverse). Narrow the pattern or fix the build target.',
  },
  linkage: {
    title: 'linkage',
    describe: (a) =>
      a.type === 'shared-library' && !a.expected.includes('dynamic')
        ? `is a shared library, so it is always dynamically linked; expected ${or(a.expected)} (crt-static cannot make a shared object static: `
          + 'build an executable, or leave the library out of this artifact)'
        : a.actual === 'broken-static-pie'
          ? `has no program interpreter yet needs libraries (a broken static-PIE: nothing will load them); expected ${or(a.expected)}`
          : `is ${a.actual ?? 'not a linked program'}, expected ${or(a.expected)}`,
    docs: 'How the binary is linked: static (no interpreter, no needed libraries), static-pie (the same, position-independent) or dynamic. '
      + 'A crt-static build that comes out dynamic means the flag was silently ignored (wrong target, a dependency forcing dynamic '
      + 'linking, or RUSTFLAGS not reaching the build).',
  },
  libc: {
    title: 'C library',
    describe: (a) => `is bound to ${a.actual === 'unknown' ? 'an unidentified C library' : a.actual}, expected ${or(a.expected)}`,
    docs: 'The C library the binary was linked against, proven from its interpreter, needed libraries, symbol versions or notes. '
      + 'A static binary with no such evidence is "unknown".',
  },
  pie: {
    title: 'position-independent executable',
    describe: (a) => `is ${yes(a.actual, 'a PIE', 'not a PIE')}, expected ${a.expected ? 'a PIE' : 'a position-dependent executable'}`,
    docs: 'A PIE (ET_DYN executable, MH_PIE) can be loaded at a random address (ASLR). Build with -pie / -C relocation-model=pie, or '
      + 'without for position-dependent code.',
  },
  interpreter: {
    title: 'program interpreter',
    describe: (a) =>
      a.expected === false
        ? `has program interpreter ${q(a.actual)}, expected none (a static binary must not need a loader)`
        : a.actual === null ? `has no program interpreter, expected ${or(a.expected)}`
          : `has program interpreter ${q(a.actual)}, expected ${or(a.expected)}`,
    docs: 'PT_INTERP (Mach-O LC_LOAD_DYLINKER) names the dynamic loader the kernel starts first. A static binary has none; '
      + 'a dynamic one must name the loader of the system it targets.',
  },
  'needed-allow': {
    title: 'needed library not allowed',
    describe: (a) => {
      const what = `needs ${list(a.names)}`;
      if (a.allow.length === 0) return `${what}, but the plan allows no needed libraries`;
      return `${what}, ${a.names.length === 1 ? 'which matches none' : 'none of which matches any'} of the allowed ${list(a.allow)}`;
    },
    docs: 'Every library the loader must find has to match one of needed.allow. An unexpected one is a dependency the target system may not have.',
  },
  'needed-forbid': {
    title: 'forbidden needed library',
    describe: (a) => `needs ${a.name}, forbidden by ${a.pattern}`,
    docs: 'A needed library matches needed.forbid. For Windows CRT DLLs (vcruntime140.dll, msvcp140.dll, api-ms-win-crt-*) this means the '
      + 'C runtime is not linked in: build with the static CRT (-C target-feature=+crt-static, /MT).',
  },
  rpath: {
    title: 'RPATH',
    describe: searchPath,
    docs: 'DT_RPATH (Mach-O LC_RPATH) directories are searched for needed libraries. Absolute entries point at the build machine; '
      + 'entries not anchored at $ORIGIN / @loader_path break when the binary moves.',
  },
  runpath: {
    title: 'RUNPATH',
    describe: searchPath,
    docs: 'DT_RUNPATH directories are searched for the binary\'s own needed libraries (after LD_LIBRARY_PATH). '
      + 'Absolute entries point at the build machine; entries not anchored at $ORIGIN break when the binary moves.',
  },
  'search-paths': {
    title: 'library search paths',
    describe: searchPath,
    docs: 'RPATH and RUNPATH together (whichever the linker wrote: --enable-new-dtags decides) or Mach-O LC_RPATH.',
  },
  soname: {
    title: 'SONAME',
    describe: (a) => (a.expected === false ? `has SONAME ${q(a.actual)}, expected none`
      : a.actual === null ? `has no SONAME, expected ${a.expected}` : `has SONAME ${q(a.actual)}, expected ${a.expected}`),
    docs: 'DT_SONAME is the name other binaries record when they link against this library; a wrong one breaks them at load time. '
      + 'Set it with -Wl,-soname,<name>.',
  },
  'install-name': {
    title: 'install name',
    describe: (a) => (a.expected === false ? `has install name ${q(a.actual)}, expected none`
      : a.actual === null ? `has no install name, expected ${a.expected}` : `has install name ${q(a.actual)}, expected ${a.expected}`),
    docs: 'LC_ID_DYLIB is the path other binaries record when they link against this dylib. A build-machine path will not exist where it '
      + 'ships: use @rpath/<name> (-install_name).',
  },
  crt: {
    title: 'C runtime model',
    describe: (a) => `uses the ${a.actual} C runtime, expected ${or(a.expected)}`,
    docs: 'The Windows C runtime model, proven from the imported DLLs: msvc-static (/MT, carries its own CRT), msvc-dynamic (/MD, '
      + 'vcruntime + UCRT DLLs), msvc-hybrid (static vcruntime, dynamic UCRT), msvc-debug, mingw-msvcrt, mingw-ucrt, legacy-msvcr '
      + '(msvcrNN.dll), none.',
  },
  'crt-debug': {
    title: 'debug C runtime',
    describe: (a) => `links the debug C runtime (${list(a.dlls)}), which is not redistributable`,
    docs: 'vcruntime140d.dll and ucrtbased.dll exist only where Visual Studio is installed; a binary importing them does not start '
      + 'anywhere else. Build in release mode, or list msvc-debug in crt to allow it.',
  },
  'delay-imports': {
    title: 'delay-loaded DLL',
    describe: (a) =>
      a.allow === false
        ? `delay-loads ${a.name}, expected no delay-loaded DLLs`
        : `delay-loads ${a.name}, which matches none of ${list(a.allow)}`,
    docs: 'Delay-loaded DLLs are loaded on first call rather than at start-up, so a missing one fails late, in the middle of a run.',
  },
  'glibc-max': {
    title: 'glibc floor',
    describe: (a) => `requires glibc ${a.actual}, newer than the plan's maximum ${a.max}: it will not load on systems with an older glibc`,
    docs: 'The highest GLIBC_x.y symbol version the binary needs is the oldest glibc it runs on. '
      + 'Build on (or against the sysroot of) the oldest distribution you support, or use musl.',
  },
  'macos-min': {
    title: 'minimum macOS',
    describe: (a) => `${a.arch && a.arch !== 'universal' ? `(${a.arch}) ` : ''}requires macOS ${a.actual}, newer than the plan's ${a.min}`,
    docs: 'The minimum OS version the binary was linked for (LC_BUILD_VERSION minos). Set MACOSX_DEPLOYMENT_TARGET (or '
      + '-mmacosx-version-min) to the oldest macOS you support.',
  },
  arch: {
    title: 'architecture',
    describe: (a) => `is built for ${a.actual}, expected ${or(a.expected)}`,
    docs: 'The binary\'s architecture (ELF e_machine, PE Machine, Mach-O cputype). A mismatch usually means the wrong target triple or a '
      + 'host build copied into a cross build.',
  },
  relro: {
    title: 'RELRO',
    describe: (a) => `has ${a.actual === 'none' ? 'no' : a.actual} RELRO, expected ${a.expected}`,
    docs: 'RELRO makes the GOT read-only after relocation: partial with PT_GNU_RELRO (-z relro), full with BIND_NOW too (-z relro -z now).',
  },
  'bind-now': {
    title: 'BIND_NOW',
    describe: (a) => (a.expected ? 'binds symbols lazily, expected BIND_NOW' : 'binds symbols at load time (BIND_NOW), expected lazy binding'),
    docs: 'BIND_NOW (DT_BIND_NOW, DF_BIND_NOW, DF_1_NOW) resolves every symbol at load time; with RELRO it makes the GOT read-only. Link with -z now.',
  },
  'nx-stack': {
    title: 'non-executable stack',
    describe: (a) =>
      a.expected
        ? `has ${a.actual === null ? 'no PT_GNU_STACK (an executable stack by default)' : 'an executable stack'}, expected a non-executable one`
        : 'has a non-executable stack, expected an executable one',
    docs: 'PT_GNU_STACK with PF_X (or no PT_GNU_STACK) makes the stack executable. It comes from -z execstack, GNU nested functions or an '
      + 'assembly file without .note.GNU-stack.',
  },
  textrel: {
    title: 'text relocations',
    describe: () => 'has text relocations (DT_TEXTREL): the loader must write to its code pages',
    docs: 'Text relocations come from non-PIC code in a shared object or PIE; they defeat W^X and are refused by some loaders (musl, '
      + 'Android, SELinux). Compile with -fPIC.',
  },
  'dylibs-allow': {
    title: 'dylib origin',
    describe: (a) => `loads ${a.name} (${a.class}), expected only ${or(a.allow)} dylibs`,
    docs: 'Where each dylib comes from: apple-system (/usr/lib, /System/Library), homebrew (/opt/homebrew, /usr/local/Cellar, '
      + '/usr/local/opt), relative (@rpath, @loader_path, @executable_path) or absolute-other (usually a build-machine path).',
  },
  'deps-resolve': {
    title: 'dependency not resolved inside the root',
    describe: (a) => {
      const by = a.depth === 0 ? '' : ` (needed by ${a.from})`;
      switch (a.status) {
        case 'missing': {
          if (a.kind === 'interpreter') return `its program interpreter ${a.name} is not in the root: the program cannot start`;
          // A delay import or a lazy dylib fails when first used, a weak dylib is done without; an upward or re-exported
          // dylib, like any other, stops the program from starting (dyld refuses to launch it).
          const later = a.kind === 'delay-import' || a.kind === 'lazy' ? ` (${a.kind}: it fails when first used)`
            : a.kind === 'weak' ? ' (weak: the program starts without it)' : '';
          return `${a.name}${by} is not found where the loader looks${later}`;
        }
        case 'wrong-arch': return `${a.name}${by} resolves to ${a.path}, which is of another architecture: the loader cannot load it`;
        case 'unloadable': return `${a.name}${by} resolves to ${a.path}, which is not a binary the loader can load`;
        case 'ambiguous': return `${a.name}${by} is a relative path: what it loads depends on the working directory`;
        default: return `${a.name}${by} resolves to ${a.path ?? 'a file'} (${a.provenance}), outside the shipped tree and the system`;
      }
    },
    docs: 'deps.resolve = "inside-root": verify resolves every dependency as the target\'s loader would (linkplan resolve, docs/resolve.md) against '
      + 'the shipped tree or archive and --root. Each must be found in the tree (through RPATH/RUNPATH $ORIGIN, @rpath, the application '
      + 'directory) or in the system; deps.provided lists what the channel installs itself. The finding\'s evidence is the search, step by step.',
  },
  'deps-provenance': {
    title: 'dependency provenance',
    describe: (a) => {
      const where = a.path === null ? 'is provided by the system' : `resolves to ${a.path}`;
      return `${a.name}${a.depth === 0 ? '' : ` (needed by ${a.from})`} ${where} (${a.provenance}), expected only ${or(a.allow)}`;
    },
    docs: 'deps.allow-provenance: where each resolved dependency comes from — system (the root\'s system directories, Windows\' own DLLs), '
      + 'apple-system (the dyld shared cache), homebrew (/opt/homebrew, /usr/local/Cellar, /home/linuxbrew), crt (a Windows C runtime DLL), '
      + 'bundled (inside the shipped tree or archive) or other.',
  },
  libs: {
    title: 'system library',
    describe: (a) => {
      const how = a.actual === null ? 'not linked dynamically (statically linked copies were not looked for)' : LIB_VERDICT_WORDS[a.actual];
      const ver = a.version ? ` ${a.version}` : '';
      switch (a.expected) {
        case 'dynamic': return a.actual === null
          ? `does not link ${a.lib} dynamically (no needed library matches ${list(a.patterns)}): it is linked statically (vendored) or not used`
          : a.actual === 'absent' || a.actual === 'unknown'
            ? `does not link ${a.lib}: it is ${how}, expected it linked dynamically (a needed library matching ${list(a.patterns)})`
            : `links ${a.lib}${ver} ${how}, expected it linked dynamically (a needed library matching ${list(a.patterns)})`;
        case 'absent': return a.matched.length
          ? `links ${a.lib} dynamically (${list(a.matched)}), expected it absent`
          : a.actual === 'unknown' ? `cannot rule out a copy of ${a.lib}: it is ${how}, expected it absent (proven)`
            : `carries ${a.lib}${ver}: ${how}, expected it absent`;
        case 'static': return `has ${a.lib} ${how}, expected a statically linked (vendored) copy`;
        case 'not-static': return a.actual === 'unknown'
          ? `cannot rule out a vendored copy of ${a.lib}: it is ${how}, expected no vendored copy (proven)`
          : `carries ${a.lib}${ver} linked statically, expected no vendored copy`;
        case 'min': return a.version === null
          ? `has ${a.lib} ${how} with no version the file states, expected at least ${a.min}`
          : `has ${a.lib} ${a.version}, expected at least ${a.min}`;
        default: return `${a.lib}: ${how}`;
      }
    },
    docs: 'Well-known libraries are recognised by their file names on each OS and, when a plan asks about static copies, by the '
      + 'symbols and version strings a statically linked copy leaves (src/facts/fingerprints.ts). "dynamic" catches a vendored copy '
      + '(e.g. openssl-sys with the vendored feature); "static" / "vendored" require one; "absent" catches an unwanted dependency; '
      + '{ static = true, min = "3.0.13" } also checks the version. A stripped binary can hide a copy: then the verdict is unknown, never a guess.',
  },
  'artifact-missing': {
    title: 'expected artifact missing',
    describe: (a) => `artifact "${a.artifact}" matched no binary (patterns: ${list(a.pattern)})`,
    docs: 'Every artifact the plan declares must be among the files given to verify: a missing one means the build did not produce it, it '
      + 'moved, or the pattern is wrong.',
  },
  'archive-member': {
    title: 'archive member reported, not obeyed',
    describe: (a) => ARCHIVE_NOTES[a.code](a.target),
    docs: 'What an archive says about a member that a release should not: a name with ".." or an absolute name (an unpacker '
      + 'writes outside its directory), a symlink or hard link out of the archive, a device or FIFO, two members of one name '
      + '(unpackers disagree on which wins), a zip whose central directory and local headers disagree (two tools see two '
      + 'archives), an encrypted member, or nesting past the depth limit. linkplan never extracts, so it only reports them. '
      + 'An error by default: rebuild the archive from a clean staging directory.',
  },
  'nothing-checked': {
    title: 'nothing checked',
    describe: (a) =>
      a.found === 0
        ? 'no binary was found in the paths given: the run checked nothing (an empty directory or archive, or the wrong path)'
        : `none of the ${a.found.toLocaleString('en-US')} binar${a.found === 1 ? 'y' : 'ies'} found is covered by the plan (or by the --artifact / --target `
          + 'selection): the run checked nothing',
    docs: 'A run that checked no binary proves nothing, and would otherwise pass: a build that produced no output, an empty archive, or a path '
      + 'or --artifact / --target selection that matches nothing. Fix the paths, or pass --allow-empty where an empty run is expected.',
  },
  'unmatched-binary': {
    title: 'binary not in the plan',
    describe: () => 'no artifact in the plan matches this binary',
    docs: 'A binary no artifact pattern matches. The plan\'s `unmatched` policy decides: error, warn (the default) or ignore.',
  },
  'build-path': {
    title: 'build-machine path',
    describe: (a) => `has ${a.field} ${q(a.path)}, a path into ${SOURCES[a.source]} (${a.prefix}): it will not exist where the binary ships`,
    docs: 'An absolute path under a build machine\'s home, temp or CI work directory (/home/, /Users/, /tmp/, /__w/, D:\\a\\, …) in a '
      + 'search path, needed library, install name or dylib name. Where the binary ships the directory is missing, or worse, whoever '
      + 'can create it decides what gets loaded. Use $ORIGIN / @rpath-relative names (-Wl,-rpath,\'$ORIGIN/../lib\', -install_name '
      + '@rpath/<name>), or fix the paths up (patchelf, install_name_tool) before packaging. An error by default: the binary loads the '
      + 'wrong library or none.',
  },
  'unanchored-search-path': {
    title: 'unanchored search path',
    describe: (a) => `has ${a.field} entry ${a.entry === '' ? '"" (the current directory)' : q(a.entry)}, relative to the working directory `
      + 'rather than to the binary: a library planted there gets loaded',
    docs: 'A relative search-path entry (lib, ./lib, $LIB, or an empty entry from a stray ":") is resolved against the directory the '
      + 'program is started from, so anyone who controls that directory can inject a library. Anchor it to the binary: $ORIGIN/lib '
      + '(ELF), @loader_path/lib or @executable_path/lib (Mach-O). The same for a library named by a relative path: a DT_NEEDED '
      + 'with a slash (gcc u.c sub/libssl.so.3 records "sub/libssl.so.3"), a Mach-O dylib not under @rpath/, @loader_path/ or '
      + '@executable_path/ (linkplan resolve calls both ambiguous); link it by its soname (-L sub -lssl) or install name (@rpath/...). '
      + 'An error by default: it is a code-injection hole.',
  },
  'unshipped-dependency': {
    title: 'unshipped dependency',
    describe: (a) => `${a.loaded === 'delayed' ? 'delay-loads' : a.loaded === 'weak' ? 'weakly links' : 'needs'} ${a.name}, which is `
      + (a.shippedAt?.length ? `shipped (${list(a.shippedAt)}) but not where the loader looks for it` : notIn(a.lookedIn)),
    docs: 'A library the loader must find that is neither shipped in the same archive or tree (found there as the target\'s loader '
      + 'would: RPATH/RUNPATH, $ORIGIN, @rpath, the application directory, case-insensitively for PE) nor part of the target '
      + 'system (glibc\'s, musl\'s or Android\'s own libraries, Windows system and C runtime DLLs, '
      + 'macOS /usr/lib and /System/Library). The release does not start on a clean machine: ship the library, or link it statically. '
      + 'An error by default; a delay-loaded DLL or a weak or lazy dylib is a warning, since the program starts and fails (or does '
      + 'without) only when it calls it. A library shipped, but in a directory the loader does not search (RPATH $ORIGIN/../libx, '
      + 'the library in lib/), is named where it is: fix the search path or move the library.',
  },
  'debug-crt': {
    title: 'debug C runtime',
    describe: (a) => `links the debug C runtime (${list(a.dlls)}), which exists only where Visual Studio is installed and may not be redistributed`,
    docs: 'vcruntime140d.dll, ucrtbased.dll, msvcp140d.dll and the other *d.dll runtimes come with Visual Studio only; a binary '
      + 'importing them does not start on a user\'s machine. Build in release mode (/MD or /MT, not /MDd or /MTd). An error by '
      + 'default: the release cannot run.',
  },
  'homebrew-path': {
    title: 'Homebrew path',
    describe: (a) => `has ${a.field} ${q(a.path)}, inside Homebrew (${a.prefix}): it works only where the same formula is installed`,
    docs: 'A dylib, rpath or needed library under /opt/homebrew, /usr/local/Cellar, /usr/local/opt or /home/linuxbrew/.linuxbrew. '
      + 'Outside a Homebrew install with the same formulae the binary does not start. Bundle the library (@rpath) or link it '
      + 'statically. A warning by default: for a Homebrew formula\'s own bottle it is intended.',
  },
  'pdb-path': {
    title: 'PDB path',
    describe: (a) => `names its PDB as ${q(a.path)}${a.source ? `, a path into ${SOURCES[a.source]} (${a.prefix})` : ', an absolute path'}`
      + ": the build machine's layout ships with it",
    docs: 'The CodeView debug record keeps the PDB path the linker wrote. An absolute path, or one through a user profile or CI work '
      + 'directory, tells everyone who gets the binary the build machine\'s layout and user name. Link with /PDBALTPATH:%_PDB% to keep '
      + 'the file name only. A warning by default: nothing breaks at run time.',
  },
  'text-relocations': {
    title: 'text relocations',
    describe: (a) => `has text relocations (${list(a.tags)}): the loader must write to its code pages`,
    docs: 'Text relocations come from non-PIC code in a shared object or PIE; they defeat W^X and musl, Android and SELinux refuse them. '
      + 'Compile every object with -fPIC. A warning by default: glibc still loads the file (the plan rule textrel makes it an error).',
  },
  'exec-stack': {
    title: 'executable stack',
    describe: (a) => (a.field === 'PT_GNU_STACK'
      ? `has ${a.value === null ? 'no PT_GNU_STACK, so an executable stack by default' : `an executable stack (PT_GNU_STACK ${a.value})`}`
      : `allows stack execution (${a.value})`),
    docs: 'An executable stack turns a stack overflow into code execution. It comes from -z execstack, GNU nested functions, or one '
      + 'assembly file without a .note.GNU-stack section (Mach-O: MH_ALLOW_STACK_EXECUTION). A warning by default: it is a hardening '
      + 'gap, not a broken release (the plan rule nx-stack makes it an error).',
  },
  'slices-disagree': {
    title: 'universal slices disagree',
    describe: (a) => `its slices differ in ${a.what}: ${a.detail}`,
    docs: 'The slices of a universal Mach-O differ in their dylibs, rpaths, minimum OS, install name, type or linkage, so the binary '
      + 'behaves differently on Intel and Apple silicon: often two builds with different settings glued together by lipo. A warning by '
      + 'default: some differences are inherent (arm64 cannot target macOS before 11.0).',
  },
  'unprefixed-allocator': {
    title: 'replaced C allocator',
    describe: (a) => `defines ${list(a.defines)} itself while loading ${a.libc}${a.allocator ? ` (${a.allocator} linked statically)` : ''}: `
      + 'every library it loads allocates from this malloc',
    docs: 'A dynamic executable that defines unprefixed malloc/free/calloc/realloc interposes them over the C library\'s for the whole '
      + 'process, libraries included. Intended with jemalloc or mimalloc as a global allocator, it is a hazard otherwise (musl\'s libc.so '
      + 'and glibc then run on an allocator they were not tested with, and memory freed across the boundary must agree). Use the prefixed '
      + 'build (je_malloc, mi_malloc) if the replacement is not meant. A warning: it is often deliberate.',
  },
  'glibc-floor': {
    title: 'glibc floor',
    describe: (a) => `requires glibc ${a.actual}, newer than --glibc-max ${a.max}: it will not load on systems with an older glibc`,
    docs: 'The highest GLIBC_x.y symbol version the binary needs is the oldest glibc it runs on. Build on (or against the sysroot of) '
      + 'the oldest distribution you support, or use musl. An error when --glibc-max is given: the release breaks its promise.',
  },
};

/** The sentence for one finding. */
export function describeFinding(f: Finding): string {
  return (MESSAGES[f.rule] as Message<unknown>).describe(f.args);
}

// ------------------------------------------------------------------------------------------------ diff changes

const FLOORS: Record<FloorName, string> = { glibc: 'glibc', glibcxx: 'libstdc++ (GLIBCXX)', cxxabi: 'the C++ ABI (CXXABI)', gcc: 'libgcc (GCC)' };
const val = (v: string | boolean | null) => (v === null ? 'none' : typeof v === 'boolean' ? (v ? 'yes' : 'no') : v);
const floorWhy = (a: ChangeArgs['floor-raised']) => (a.version ? ` (${a.version}${a.library ? ` from ${a.library}` : ''})` : '');
const minOs = (a: ChangeArgs['min-os-raised']) => `${a.platform ?? 'OS'} minimum`;

/**
 * The prose of every change `linkplan diff` reports, keyed by change kind, with the same shape as MESSAGES: the
 * one prose home for plan findings and diff changes alike. A kind without an entry fails to compile.
 */
export const CHANGE_MESSAGES: { [K in ChangeKind]: Message<ChangeArgs[K]> } = {
  'binary-added': {
    title: 'binary added',
    describe: (a) => `is new in this build${a.format ? ` (${a.format})` : ''}`,
    docs: 'A binary the new build has and the old one did not (after pairing by path, --strip and --map). Neutral: '
      + 'a new file is not a broken one; --fail-on binary-added gates on it.',
  },
  'binary-removed': {
    title: 'binary removed',
    describe: (a) => `is no longer in this build${a.format ? ` (it was ${a.format})` : ''}`,
    docs: 'A binary the old build had and the new one has not. A regression: whoever ran or linked it loses it. '
      + 'A rename is reported as binary-moved when the facts are the same; otherwise pass --map OLD=NEW.',
  },
  'binary-moved': {
    title: 'binary moved',
    describe: (a) => `moved from ${a.from} to ${a.to}, with the same linkage`,
    docs: 'A binary found under another path with exactly the same linkage facts. Neutral: scripts and packaging that name the old path need updating.',
  },
  'format-changed': {
    title: 'format changed',
    describe: (a) => `is ${a.new} now, was ${a.old}`,
    docs: 'The file format changed (ELF, PE, Mach-O): a different target altogether. A regression: nothing that ran the old file runs this one.',
  },
  'arch-changed': {
    title: 'architecture changed',
    describe: (a) => `is built for ${a.new} now, was ${a.old}`,
    docs: 'The machine the binary runs on changed (e_machine, PE Machine, Mach-O cputype): usually a wrong target triple. A regression.',
  },
  'type-changed': {
    title: 'binary type changed',
    describe: (a) => `is a ${a.new} now, was a ${a.old}`,
    docs: 'An executable became a shared library or the reverse (or another type). A regression: what loaded or ran it no longer can.',
  },
  'linkage-changed': {
    title: 'linkage changed',
    describe: (a) => (a.new === 'broken-static-pie'
      ? `is a broken static-PIE now (no program interpreter, yet it needs libraries), was ${a.old ?? 'unknown'}`
      : `is ${a.new ?? 'not a linked program'} now, was ${a.old ?? 'not a linked program'}`),
    docs: 'static, static-pie, dynamic or broken-static-pie. Static → dynamic is a regression (it now needs a loader and libraries on the '
      + 'target), dynamic → static an improvement, static ↔ static-pie neutral; broken-static-pie appearing is a regression, and '
      + 'disappearing an improvement.',
  },
  'pie-lost': {
    title: 'PIE lost',
    describe: () => 'is no longer a position-independent executable: it loads at a fixed address (no ASLR)',
    docs: 'The executable was a PIE and is not now (-no-pie, a linker default, a static non-PIE build). A regression: ASLR no longer applies to its code.',
  },
  'pie-gained': {
    title: 'PIE gained',
    describe: () => 'is a position-independent executable now',
    docs: 'The executable is a PIE now: its code can be loaded at a random address. An improvement.',
  },
  'interpreter-changed': {
    title: 'program interpreter changed',
    describe: (a) => `has program interpreter ${q(a.new)} now, was ${q(a.old)}`,
    docs: 'PT_INTERP (Mach-O LC_LOAD_DYLINKER) names the loader the kernel starts; a new one is a different target system (glibc ↔ musl, '
      + 'another distribution\'s path). A regression, except when there is none now (a static build: an improvement).',
  },
  'libc-changed': {
    title: 'C library changed',
    describe: (a) => `is bound to ${a.new} now, was ${a.old}`,
    docs: 'The C library the binary is bound to changed (glibc ↔ musl, or to none for a static build). '
      + 'A regression unless the new side is "none" (nothing to find at run time: an improvement); from or to "unknown" is neutral.',
  },
  'needed-added': {
    title: 'needed library added',
    describe: (a) => `needs ${a.name} now (${a.field}, position ${a.position + 1})`,
    docs: 'A library the loader must find that the old build did not need (ELF DT_NEEDED, a PE imported DLL, a Mach-O dylib). '
      + 'A regression: one more thing the target system must have.',
  },
  'needed-removed': {
    title: 'needed library removed',
    describe: (a) => `no longer needs ${a.name} (${a.field})`,
    docs: 'A library the old build needed and this one does not. Neutral: usually a dependency dropped or linked in statically.',
  },
  'needed-reordered': {
    title: 'needed libraries reordered',
    describe: (a) => `loads its libraries in another order: ${list(a.new)}, was ${list(a.old)}`,
    docs: 'The same libraries in another order. On ELF the order is the symbol search order, so a different library can win an interposed '
      + 'symbol; on PE and Mach-O it is the load order. Neutral; --fail-on needed-reordered gates on it.',
  },
  'delay-import-added': {
    title: 'delay-loaded DLL added',
    describe: (a) => `delay-loads ${a.name} now`,
    docs: 'A DLL loaded on first call that the old build did not use: a missing one fails in the middle of a run. A regression.',
  },
  'delay-import-removed': {
    title: 'delay-loaded DLL removed',
    describe: (a) => `no longer delay-loads ${a.name}`,
    docs: 'A delay-loaded DLL the old build used and this one does not. Neutral.',
  },
  'dylib-kind-changed': {
    title: 'dylib load kind changed',
    describe: (a) => `loads ${a.name} as ${a.new} now, was ${a.old}`,
    docs: 'The load command that names a dylib changed (LC_LOAD_DYLIB, LC_LOAD_WEAK_DYLIB, LC_REEXPORT_DYLIB, LC_LAZY_LOAD_DYLIB, '
      + 'LC_LOAD_UPWARD_DYLIB). Weak or lazy → required is a regression (a missing dylib now stops the program), required → weak or lazy '
      + 'an improvement, anything else neutral.',
  },
  'rpath-added': {
    title: 'search path added',
    describe: (a) => `searches ${a.entry === '' ? '"" (the current directory)' : q(a.entry)} now (${a.field})`,
    docs: 'A new DT_RPATH / DT_RUNPATH / LC_RPATH entry: one more place libraries are loaded from, often a build-machine path. A regression.',
  },
  'rpath-removed': {
    title: 'search path removed',
    describe: (a) => `no longer searches ${a.entry === '' ? '"" (the current directory)' : q(a.entry)} (${a.field})`,
    docs: 'A search-path entry the old build had. Neutral: a bundled library may no longer be found, or a stray entry is gone.',
  },
  'rpath-switched': {
    title: 'RPATH ↔ RUNPATH',
    describe: (a) => `records its search paths as ${a.new} now, was ${a.old} (${list(a.entries)})`,
    docs: 'DT_RPATH is searched before LD_LIBRARY_PATH and also for the libraries of its libraries; '
      + 'DT_RUNPATH after LD_LIBRARY_PATH and for the binary\'s own needed libraries only (--enable-new-dtags decides). '
      + 'A dependency found through the parent\'s RPATH may no longer be found. Neutral.',
  },
  'rpath-reordered': {
    title: 'search paths reordered',
    describe: (a) => `searches its paths in another order (${a.field}): ${list(a.new)}, was ${list(a.old)}`,
    docs: 'The same DT_RUNPATH / DT_RPATH / LC_RPATH entries in another order: the first directory that has a library wins. A regression '
      + 'when an entry not relative to the binary ($ORIGIN, @loader_path, @executable_path) moves ahead of one that is: a library on the '
      + 'target system, or a build-machine path, can now win over the bundled copy. Otherwise neutral.',
  },
  'soname-changed': {
    title: 'library name changed',
    describe: (a) => `has ${a.field} ${q(a.new)} now, was ${q(a.old)}`,
    docs: 'The name other binaries record when they link against this library (DT_SONAME, LC_ID_DYLIB, the PE export Name). A regression: '
      + 'binaries linked against the old name look for a file that is not there.',
  },
  'floor-raised': {
    title: 'version floor raised',
    describe: (a) => `requires ${FLOORS[a.floor]} ${a.new ?? 'none'} now, was ${a.old ?? 'none'}${floorWhy(a)}`,
    docs: 'The highest GLIBC_ / GLIBCXX_ / CXXABI_ / GCC_ symbol version needed rose: the binary no longer loads on systems older than '
      + 'that. The symbol version and the library that raised it are named. A regression.',
  },
  'floor-lowered': {
    title: 'version floor lowered',
    describe: (a) => `requires ${FLOORS[a.floor]} ${a.new ?? 'none'} now, was ${a.old ?? 'none'}${floorWhy(a)}`,
    docs: 'The highest symbol version needed fell (or none is needed now): the binary loads on older systems. An improvement.',
  },
  'platform-changed': {
    title: 'platform changed',
    describe: (a) => `is built for ${a.new}${a.newMinOS ? ` ${a.newMinOS}` : ''} now, was ${a.old}${a.oldMinOS ? ` ${a.oldMinOS}` : ''}`,
    docs: 'The platform of the Mach-O build version (LC_BUILD_VERSION platform, LC_VERSION_MIN_*) changed: macOS, iOS, its simulator, '
      + 'Mac Catalyst and the others are different targets, and a minimum OS version of one is not compared with another\'s. A regression: '
      + 'the systems that ran the old file do not load this one.',
  },
  'min-os-raised': {
    title: 'minimum OS raised',
    describe: (a) => `has ${minOs(a)} ${a.new ?? 'none'} now, was ${a.old ?? 'none'}`,
    docs: 'The minimum OS version (LC_BUILD_VERSION minos, LC_VERSION_MIN_*) rose: older macOS / iOS releases refuse it. '
      + 'Check MACOSX_DEPLOYMENT_TARGET. A regression.',
  },
  'min-os-lowered': {
    title: 'minimum OS lowered',
    describe: (a) => `has ${minOs(a)} ${a.new ?? 'none'} now, was ${a.old ?? 'none'}`,
    docs: 'The minimum OS version fell: the binary runs on older releases. An improvement.',
  },
  'sdk-changed': {
    title: 'SDK changed',
    describe: (a) => `was built with SDK ${a.new ?? 'none'} now, was ${a.old ?? 'none'}`,
    docs: 'The SDK the binary was linked against changed: it can change the behaviour the OS opts the binary into. Neutral.',
  },
  'crt-changed': {
    title: 'C runtime model changed',
    describe: (a) => `uses the ${a.new} C runtime now, was ${a.old}`,
    docs: 'The Windows C runtime model changed. Towards more runtime DLLs (msvc-static → msvc-hybrid → msvc-dynamic or MinGW, and to '
      + 'msvc-debug above all) is a regression: the target needs the VC++ redistributable, or cannot run a debug build. '
      + 'The reverse is an improvement; from or to unknown, neutral.',
  },
  'hardening-lost': {
    title: 'hardening lost',
    describe: (a) => (a.feature === 'TEXTREL' ? 'has text relocations now (DT_TEXTREL)' : `lost ${a.feature}: ${val(a.new)} now, was ${val(a.old)}`),
    docs: 'A protection the old build had: RELRO (full → partial → none), BIND_NOW, a non-executable stack (NX), no text relocations '
      + '(ELF); NX_COMPAT, DYNAMIC_BASE, HIGH_ENTROPY_VA, GUARD_CF (PE). A regression.',
  },
  'hardening-gained': {
    title: 'hardening gained',
    describe: (a) => (a.feature === 'TEXTREL' ? 'has no text relocations now' : `gained ${a.feature}: ${val(a.new)} now, was ${val(a.old)}`),
    docs: 'A protection the old build lacked. An improvement.',
  },
  'slice-added': {
    title: 'universal slice added',
    describe: (a) => `has ${article(a.arch)} ${a.arch} slice now`,
    docs: 'A universal Mach-O gained an architecture. Neutral.',
  },
  'slice-removed': {
    title: 'universal slice removed',
    describe: (a) => `no longer has ${article(a.arch)} ${a.arch} slice`,
    docs: 'A universal Mach-O lost an architecture (or a universal file became a thin one): the Macs of that architecture cannot run it '
      + 'natively. A regression.',
  },
  unreadable: {
    title: 'cannot be read',
    describe: (a) => `could be read in the old build and cannot now: ${a.message}`,
    docs: 'The file was analysed in the old build and is malformed, truncated or no binary at all in the new one, or the new archive '
      + 'that should hold it could not be read through (truncated, or the new input is no binary). '
      + 'A regression, and the run exits 2: nothing can be said about its linkage.',
  },
};

/** The sentence for one change of `linkplan diff`. */
export function describeChange(c: { kind: ChangeKind; args: unknown }): string {
  return (CHANGE_MESSAGES[c.kind] as Message<unknown>).describe(c.args);
}
/** The tail of a primary finding's line in tables: the findings that share its cause, named briefly. */
export function relatedNote(related: readonly Finding[]): string {
  const names = related.map((f) => `${f.rule} ${briefActual(f)}`);
  const shown = names.slice(0, 3).join(', ');
  return `(+${related.length} related: ${shown}${names.length > 3 ? ', …' : ''})`;
}

const briefActual = (f: Finding): string => {
  const a = f.args as { name?: unknown };
  if (typeof a.name === 'string') return a.name;
  return Array.isArray(f.actual) ? f.actual.join(', ') : String(f.actual);
};

/** Markdown summary (verify --format markdown): the heading and the verdict words. */
export const MARKDOWN = {
  heading: (audit: boolean) => (audit ? 'linkplan audit' : 'linkplan verify'),
  verdict: { holds: 'plan holds', violated: 'plan violated', unanalysable: 'could not analyse every file' },
  auditVerdict: { holds: 'audit passed', violated: 'audit failed', unanalysable: 'could not analyse every file' },
  allPass: 'Every binary checked passes.',
  planLevel: 'Plan-level findings',
  unanalysable: 'Could not be analysed',
} as const;

/**
 * ` (set by packager.toml)`: the layer of a finding, where it is worth a word: when it is not the plan the report
 * names (a layer above or below it, a target default). Nothing for the plan itself or the built-in defaults.
 */
export function setByNote(f: Pick<Finding, 'layer'>, planFile: string): string {
  return f.layer && f.layer !== planFile && f.layer !== 'built-in' ? ` (set by ${f.layer})` : '';
}
