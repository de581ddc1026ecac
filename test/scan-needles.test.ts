import { describe, expect, it } from 'vitest';
import { MemorySource } from '../src/bytes/source.js';
import { gateKeys, leadOf, needleOf, scanRegions } from '../src/formats/scan.js';
import { limits } from '../src/bytes/limits.js';
import { useNativeFinder } from '../src/bytes/search.js';
import '../src/node/file-source.js';
import { STRING_PATTERNS } from '../src/facts/fingerprints.js';

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('needleOf: a literal every match contains', () => {
  it.each([
    [/openssl-src-(\d+\.\d+)/, 'openssl-src-'],
    [/(?:de|in)flate (\d+) Copyright 1995-/, ' Copyright 1995-'],
    [/\d+\.\d+\.\d+\.zlib-ng/, '.zlib-ng'],
    [/a\dbcd/, 'bcd'],
    [/[abc]defg/, 'defg'],
    [/[x\]yz]defg/, 'defg'],
    [/x\)yz/, 'x)yz'],
    [/abcd?e/, 'abc'],
    [/ab{1,2}cdef/, 'cdef'],
    [/abcX*/, 'abc'],
    [/abcX+/, 'abc'],
    [/abc(?:xyz)?defg/, 'defg'],
    [/(a|b)cdef(g|h)/, 'cdef'],
    [/OpenSSL (\d)/g, 'OpenSSL '],
  ])('%s → %s', (re, needle) => {
    expect(needleOf(re)).toBe(needle);
  });

  it.each([
    [/abc|defgh/, 'a top-level alternation'],
    [/abcdef/i, 'a case-insensitive match'],
    [/wxyz{|abcdef}/, 'a brace that is no quantifier (the alternation after it is top-level)'],
    [/\d+-\d+-g/, 'no run of three literal characters'],
    [/ab.cd/, 'runs of two'],
    [/abc\p{L}{2}/u, 'a property escape, then a brace'],
    [/\x41bcd/, 'a hex escape (its digits are no literal text)'],
    [/\u0041bcd/, 'a unicode escape'],
    [/\cJxyz/, 'a control escape'],
    [/(?<n>a)\k<n>xyz/, 'a named backreference'],
    [new RegExp('(a)\\12345'), 'a backreference (or octal) with digits after it'],
    [new RegExp('\\012abcd'), 'a legacy octal escape'],
  ])('%s → null (%s)', (re) => {
    expect(needleOf(re)).toBeNull();
  });

  it('finds one for every fingerprint pattern but the three that begin and end with digits, and it is in the pattern', () => {
    const none = STRING_PATTERNS.filter((p) => needleOf(p.re) === null).map((p) => p.re.source);
    expect(none).toEqual([
      '(1\\.\\d\\.\\d{1,2}), \\d{1,2}-[A-Z][a-z]{2}-\\d{4}',
      '20\\d\\d-[01]\\d-[0-3]\\d [0-2]\\d:[0-5]\\d:[0-5]\\d [0-9a-f]{40,64}',
      '(\\d{1,9}\\.\\d{1,9}\\.\\d{1,9})-\\d{1,9}-g[0-9a-f]{40}',
    ]);
    for (const p of STRING_PATTERNS) {
      const n = needleOf(p.re);
      if (n !== null) expect(p.re.source.replace(/\\(.)/g, '$1')).toContain(n);
    }
  });
});

describe('gateKeys: short substrings that find the needles', () => {
  it('every needle holds its key where the key says; one key for needles that share it', () => {
    const needles = [...new Set(STRING_PATTERNS.map((p) => needleOf(p.re)).filter((n): n is string => n !== null))];
    const keys = gateKeys(needles);
    expect(keys.flatMap((k) => k.members.map((m) => m.needle)).sort((a, b) => a - b)).toEqual([...needles.keys()]);
    for (const { key, members } of keys) for (const m of members) expect(needles[m.needle].slice(m.at, m.at + key.length)).toBe(key);
    // The nine Rust -sys crates share one key, so there are fewer keys than needles.
    expect(keys.find((k) => k.key === '-sy')?.members).toHaveLength(needles.filter((n) => n.endsWith('-sys-')).length);
    expect(keys.length).toBeLessThan(needles.length / 2);
  });

  it('a needle of the key\'s length or shorter is its own key; a rare first character is preferred', () => {
    expect(gateKeys(['ab', 'xabx', 'abd']).map((k) => [k.key, k.members.length])).toEqual([['ab', 3]]);
    // "open-src" holds 'ope', 'pen', 'en-', 'n-s', '-sr', 'src': the one that starts with '-'.
    expect(gateKeys(['open-src']).map((k) => k.key)).toEqual(['-sr']);
    expect(gateKeys([])).toEqual([]);
  });
});

describe('scanRegions with needles and their gate', () => {
  /** What scanRegions finds, found the plain way: every regex over the whole text, nothing asked first. */
  function naive(bytes: Uint8Array, patterns: readonly RegExp[]): string[][] {
    const text = String.fromCharCode(...bytes);
    return patterns.map((p) => [...new Set([...text.matchAll(new RegExp(p.source, `${p.flags.replace('g', '')}g`))].map((m) => m[0]))]);
  }
  const scan = (bytes: Uint8Array, patterns: readonly RegExp[]) =>
    scanRegions(new MemorySource(bytes, 'x'), [{ name: '.rodata', offset: 0, size: bytes.length }], patterns, 'elf');

  it('finds what the plain scan finds: each marker alone, all together, and each cut short', () => {
    const markers = [
      'OpenSSL 3.2.1 30 Jan 2024', 'LibreSSL 3.8.2', 'AWS-LC 1.21.0', 'compatible; BoringSSL)',
      ' deflate 1.3.1 Copyright 1995-2024 Jean-loup Gailly ', '2.1.6.zlib-ng', '1.0.8, 13-Jul-2019', 'libcurl/8.5.0',
      '/src/zstd-sys-2.0.13+zstd.1.5.6/zstd/x.c', '/src/openssl-src-300.2.1+3.2.0/x.c', '/src/tikv-jemalloc-sys-0.5.4+5.3.0/x.c',
      '2022-12-28 14:03:47 df5c253c0b3dd24916e4ec7cf77d3db5294cc9fd45ae7b9c5e82ad8197f3alt1',
      '5.3.0-0-g54eaed1d8b56b1aa528be3bdd1877e59c56fa90c',
    ];
    const patterns = STRING_PATTERNS.map((p) => p.re);
    const texts = [...markers, markers.join('\0'), ...markers.map((m) => m.slice(0, -2)), ...markers.map((m) => m.slice(2))];
    let found = 0;
    for (const t of texts) {
      const bytes = enc(`\0${t}\0`);
      const r = scan(bytes, patterns);
      expect(r.matches, t).toEqual(naive(bytes, patterns));
      found += r.matches.flat().length;
    }
    // Not a scan that finds nothing either way.
    expect(found).toBeGreaterThan(markers.length * 2);
  });

  it('a needle inside another needle\'s match is still looked for', () => {
    // tikv-jemalloc-sys- holds jemalloc-sys-: both needles hold the key "-sys" at the same place, and both are checked.
    const patterns = [/tikv-jemalloc-sys-(\d+\.\d+\.\d+)[/]/, /jemalloc-sys-(\d+\.\d+\.\d+)[/]/];
    const bytes = enc('\0/src/tikv-jemalloc-sys-0.5.4+5.3.0/x.c\0/src/tikv-jemalloc-sys-0.5.4/x.c\0');
    expect(scan(bytes, patterns).matches).toEqual([['tikv-jemalloc-sys-0.5.4/'], ['jemalloc-sys-0.5.4/']]);
  });

  it('a key found past its cap in one chunk (hostile data) still finds its needles, whole', () => {
    const patterns = STRING_PATTERNS.map((p) => p.re);
    // 5,000 "-sys" (MAX_KEY_HITS is 4096) before the one real crate path, and once before it too.
    for (const t of [`${'x-sys'.repeat(5000)}/src/zstd-sys-2.0.13+zstd.1.5.6/x.c`, `/src/zstd-sys-2.0.13/x.c${'-sys'.repeat(5000)}`]) {
      const bytes = enc(`\0${t}\0`);
      const r = scan(bytes, patterns);
      expect(r.matches).toEqual(naive(bytes, patterns));
      expect(r.matches.flat()).toContain(t.includes('+') ? 'zstd-sys-2.0.13+zstd.1.5.6/' : 'zstd-sys-2.0.13/');
    }
  });

  it('keys that overlap one another or repeat: "-sys-sys-", "SSL SSL)", a needle at the very start', () => {
    const patterns = STRING_PATTERNS.map((p) => p.re);
    const texts = ['x-sys-libz-sys-1.2.3/', 'libz-sys-libz-sys-1.2.3/', 'OpenSSL OpenSSL 3.0.2 15 Mar 2022 compatible; BoringSSL)', 'bzip2-sys-0.1.11+1.0.8/'];
    for (const t of texts) {
      const bytes = enc(t);
      expect(scan(bytes, patterns).matches, t).toEqual(naive(bytes, patterns));
      expect(scan(bytes, patterns).matches.flat().length, t).toBeGreaterThan(0);
    }
  });

  it('a pattern with an escape that takes operands is run on every chunk, beside gated ones', () => {
    const bytes = enc('\0xx Abcd yy\0');
    expect(scan(bytes, [/\x41bcd/, /zzzq/]).matches).toEqual([['Abcd'], []]);
  });

  it('a chunk with no needle still runs the patterns that have none', () => {
    const bytes = enc('\0 1.0.8, 13-Jul-2019 \0');
    const patterns = [/OpenSSL (\d+)/, /LibreSSL (\d+)/, /(1\.\d\.\d{1,2}), \d{1,2}-[A-Z][a-z]{2}-\d{4}/];
    expect(scan(bytes, patterns).matches).toEqual([[], [], ['1.0.8, 13-Jul-2019']]);
  });
});

describe('leadOf: the literal every match begins with, and how far a match reaches', () => {
  it('bzip2\'s and sqlite\'s patterns, the two with no needle, lead with "1." and "20"', () => {
    expect(leadOf(/(1\.\d\.\d{1,2}), \d{1,2}-[A-Z][a-z]{2}-\d{4}/)).toEqual({ lead: '1.', span: 19 });
    expect(leadOf(/20\d\d-[01]\d-[0-3]\d [0-2]\d:[0-5]\d:[0-5]\d [0-9a-f]{40,64}/)).toEqual({ lead: '20', span: 84 });
    // Through plain and non-capturing groups, optional parts counted at their longest, lazy counts alike.
    expect(leadOf(/(?:ab(c))d?[xy]{2,3}?\./)).toEqual({ lead: 'abcd'.slice(0, 3), span: 8 });
  });

  it('none where a window of text could not decide as the whole chunk does, or nothing leads', () => {
    for (const re of [
      /ab|cd/, /(ab|cd)ef/, // a match need not begin with the lead
      /^abc/, /abc$/, /\babc/, /ab(?=c)/, /ab(?!c)/, /(?<=x)abc/, /(?<n>ab)c/, // assertions look past the window
      /abc+/, /abc*/, /ab\d{2,}/, /ab.*c/, // unbounded
      /abc/i, /abc/m, /abc/y, // flags: other text matches, ^ $ change, or matches run back to back from the start
      /\x41bc/, /(a)b\1/, /\p{L}ab/u, // escapes with operands
      /a?bc/, /(ab)?cd/, /[ab]cd/, /\dab/, /a/, // fewer than 2 characters lead
      new RegExp(`ab\\d{${2000}}`), // a span past the window's bound
    ]) expect(leadOf(re), String(re)).toBe(null);
  });
});

describe('scanRegions: patterns tried where their lead begins (no needle)', () => {
  const naive = (bytes: Uint8Array, patterns: readonly RegExp[]) => {
    const text = String.fromCharCode(...bytes);
    return patterns.map((p) => [...new Set([...text.matchAll(new RegExp(p.source, `${p.flags.replace('g', '')}g`))].map((m) => m[0]))]);
  };
  const patterns = [
    /(1\.\d\.\d{1,2}), \d{1,2}-[A-Z][a-z]{2}-\d{4}/, /20\d\d-[01]\d-[0-3]\d [0-2]\d:[0-5]\d:[0-5]\d [0-9a-f]{40,64}/,
    // Overlapping leads ("aaab": "aa" at 0, 1), optional and greedy tails whose longest match a window must hold.
    /aa[ab]{1,3}?b?/, /ab[a-c]{0,6}c/,
  ];
  /** Text of markers, their cut and overlapping forms, and noise that is mostly leads. */
  function text(seed: number): string {
    let x = seed, out = '';
    const parts = ['1.0.8, 13-Jul-2019', '1.0.6, 6-Sep-2010', '1.1.', '20', '2022-12-28 14:03:47 ', 'df5c253c0b3dd24916e4ec7cf77d3db5294cc9fd45ae7b9c5e82ad',
      '8197f3', 'a', 'b', 'c', 'aab', 'abcabc', '1.2', '0, 1', '2020-01-01 00:00:00 ', '\0'];
    for (let i = 0; i < 400; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      out += parts[(x >>> 16) % parts.length];
    }
    return out;
  }
  it('a MiB of digits (hostile data) with every fingerprint pattern run: no pattern takes time quadratic in a digit run', () => {
    // \d+ where no literal comes first took n² steps on a run of n digits (a MiB: a quarter of an hour). The run holds
    // the zlib-ng needle and jemalloc's git describe, so both patterns run over it, and find their match at its end.
    const digits = '7'.repeat(1 << 20);
    const bytes = enc(`${digits}.1.2.zlib-ng ${digits}.1.2-3-g${'a'.repeat(40)}`);
    const r = scanRegions(new MemorySource(bytes, 'x'), [{ name: '.rodata', offset: 0, size: bytes.length }], STRING_PATTERNS.map((p) => p.re), 'elf');
    const of = (part: string) => r.matches[STRING_PATTERNS.findIndex((p) => p.re.source.includes(part))];
    expect(of('zlib-ng')).toEqual(['777777777.1.2.zlib-ng']);
    expect(of('-g[0-9a-f]{40}')).toEqual([`777777777.1.2-3-g${'a'.repeat(40)}`]);
  });

  it('a sticky pattern is run over the chunk as before: from its start, back to back', () => {
    const bytes = enc('xx ab1 ab2');
    const sticky = [/ab\d/y, /xx/y];
    expect(scanRegions(new MemorySource(bytes, 'x'), [{ name: '.rodata', offset: 0, size: bytes.length }], sticky, 'elf').matches)
      .toEqual(naive(bytes, sticky));
    expect(naive(bytes, sticky)).toEqual([[], ['xx']]);
  });

  it('a chunk made of leads (hostile data) is run as text past 4,096 of them: the same matches, in the same order', () => {
    const marks = ['1.0.8, 13-Jul-2019', '1.0.6, 6-Sep-2010', '1.1.1, 1-Jan-2001'];
    for (const t of [`${marks[0]}${'1.1.'.repeat(5000)}${marks[1]}${marks[2]}`, `${'20'.repeat(6000)}2022-12-28 14:03:47 ${'ab'.repeat(20)}`]) {
      const bytes = enc(`\0${t}\0`);
      const r = scanRegions(new MemorySource(bytes, 'x'), [{ name: '.rodata', offset: 0, size: bytes.length }], patterns, 'elf');
      expect(r.matches).toEqual(naive(bytes, patterns));
      expect(r.matches.flat().length).toBeGreaterThan(0);
    }
  });

  for (const [name, finder] of [['native finder', true], ['without one', false]] as const) {
    it(`finds what the whole-text regexes find, over chunk boundaries and the match cap: ${name}`, () => {
      const native = useNativeFinder(null);
      const set = limits as { scanChunkBytes: number; scanOverlapBytes: number };
      const chunk = limits.scanChunkBytes, overlap = limits.scanOverlapBytes;
      try {
        if (finder) useNativeFinder(native);
        let found = 0;
        for (let seed = 1; seed <= 30; seed++) {
          const bytes = enc(text(seed));
          for (const [c, o] of [[chunk, overlap], [500, 100], [97, 90]]) {
            set.scanChunkBytes = c;
            set.scanOverlapBytes = o;
            const got = scanRegions(new MemorySource(bytes, 'x'), [{ name: '.rodata', offset: 0, size: bytes.length }], patterns, 'elf');
            // Each chunk's text given to the global regexes, in turn (as the scan did before it looked for leads),
            // the distinct matches in the order found, up to the cap.
            const want: Set<string>[] = patterns.map(() => new Set());
            for (let at = 0; at < bytes.length;) {
              const n = Math.min(c, bytes.length - at);
              naive(bytes.subarray(at, at + n), patterns).forEach((m, i) => m.forEach((x) => want[i].size < limits.maxScanMatches && want[i].add(x)));
              if (at + n >= bytes.length) break;
              at += Math.max(1, n - o);
            }
            expect(got.matches, `seed ${seed} chunk ${c}`).toEqual(want.map((w) => [...w]));
            found += got.matches.flat().length;
          }
        }
        expect(found).toBeGreaterThan(1000);
      } finally {
        set.scanChunkBytes = chunk;
        set.scanOverlapBytes = overlap;
        useNativeFinder(native);
      }
    });
  }
});
