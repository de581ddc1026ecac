/**
 * The plan glob dialect (src/plan/glob.ts): what matches what, over any characters a name can hold, and what is a
 * plan error. The table was cross-checked against picomatch ({ dot: true }) for the newline-free cases before
 * picomatch was dropped; the rows where we differ on purpose say so.
 */
import { describe, expect, it } from 'vitest';
import { compileGlob, globSyntaxProblem, matchEntry, matchesPath, matchName } from '../src/plan/glob.js';

/** [pattern, input, matches]: whole-string matches, case-sensitive. */
const WHOLE: [string, string, boolean][] = [
  // * stays within a segment and matches leading dots
  ['*', 'abc', true], ['*', '.hidden', true], ['*', 'a/b', false], ['*.dll', 'x.dll', true], ['*.dll', 'x.DLL', false],
  ['a/*', 'a/b', true], ['a/*', 'a/b/c', false], ['a/*/c', 'a/b/c', true], ['a/*/c', 'a/.b/c', true],
  ['lib*.so*', 'libssl.so.3', true], ['lib*.so*', 'libssl.dylib', false],
  // ** is any number of whole segments, including none
  ['**', 'a', true], ['**', 'a/b/c', true], ['**', '.git/config', true], ['**', '/abs/x', true],
  ['**/x', 'x', true], ['**/x', 'a/b/x', true], ['**/x', 'a/bx', false], ['a/**/b', 'a/b', true], ['a/**/b', 'a/x/y/b', true],
  ['a/**/b', 'a/xb', false], ['a/**', 'a', true], ['a/**', 'a/b/c', true], ['a/**', 'ab', false],
  ['**/deps/**', 'target/deps/x', true], ['**/deps/**', 'deps', true], ['target/**/build/**', 'target/build/y', true],
  ['**/*.so', 'a/b/c.so', true], ['**/*.so', 'c.so', true],
  // ** inside a segment is *
  ['x**y', 'xaby', true], ['x**y', 'xa/by', false], ['a/**b', 'a/xb', true], ['a/**b', 'a/x/b', false],
  // newline, CR, tab, NUL-free control characters, unicode, lone surrogates: ordinary characters (picomatch: ** fails on \n)
  ['**', 'bad\nname', true], ['**', 'dir/bad\nname', true], ['**', 'a\r\nb/c', true], ['*', 'bad\nname', true],
  ['**/x', 'a\n/x', true], ['?', '\n', true], ['a?c', 'a\rc', true], ['*', '\u0001\u007f\t', true],
  ['**', 'bin/\ud800broken', true], ['?', '\udc00', true], ['*', 'ünïcødé.dll', true], ['?', '日', true], ['??', '😀', false],
  ['?', '😀', true], ['[😀x]', '😀', true], ['日本*.dll', '日本語.dll', true], ['*', '\u2028\u0085', true],
  ['*', 'a\u0000b', true], ['*.so', 'lib\ufffd\ufffd.so', true], ['lib?.so', 'lib\ufffd.so', true], ['\\😀', '😀', true],
  // ? is one character, never "/"
  ['?', 'a', true], ['?', '', false], ['?', '/', false], ['a?c', 'abc', true], ['a?c', 'a/c', false],
  // classes
  ['[abc]', 'b', true], ['[abc]', 'd', false], ['[a-c]x', 'bx', true], ['[a-c]x', 'dx', false], ['[!a]', 'b', true],
  ['[!a]', 'a', false], ['[^a]b', 'bb', true], ['[^a]b', 'ab', false], ['a[!x]b', 'a/b', false], ['a[^x]b', 'a/b', false],
  ['a[!x]b', 'a\nb', true], ['[]a]', ']', true], ['[a-]', '-', true], ['[!]a]', 'b', true], ['[!]a]', ']', false],
  ['msvcr[0-9]*.dll', 'msvcr120.dll', true], ['msvcr[0-9]*.dll', 'msvcrt.dll', false], ['[*]', '*', true], ['[*]', 'x', false],
  ['[[]', '[', true], ['[\\]]', ']', true],
  // braces, nested, with empty alternatives and "/" inside
  ['{a,b}', 'a', true], ['{a,b}', 'b', true], ['{a,b}', 'c', false], ['{a,{b,c}}d', 'cd', true], ['a{,b}', 'a', true],
  ['a{,b}', 'ab', true], ['x/{a,b}/y', 'x/b/y', true], ['x/{a,b}/y', 'x/c/y', false], ['{a/b,c}', 'a/b', true], ['{a/b,c}', 'c', true],
  ['*.{dll,exe}', 'x.exe', true], ['*.{dll,exe}', 'x.so', false], ['{**/x,y}', 'a/x', true], ['x/{**,y}/z', 'x/a/b/z', true],
  // braces without a comma are literal (sh, picomatch): ${ORIGIN}, ${LIB}
  ['{a}', '{a}', true], ['{a}', 'a', false], ['${LIB}/x', '${LIB}/x', true], ['a}', 'a}', true], ['a,b', 'a,b', true],
  // escapes
  ['\\*', '*', true], ['\\*', 'x', false], ['a\\?b', 'a?b', true], ['a\\?b', 'axb', false], ['\\{a,b}', '{a,b}', true],
  ['\\[x\\]', '[x]', true],
  // parentheses are literal characters ("Program Files (x86)")
  ['foo (1).dll', 'foo (1).dll', true], ['(a)', '(a)', true],
  // wildcards never match a "." or ".." segment (picomatch agrees, except ? and .* against "." / "..")
  ['*', '..', false], ['*', '.', false], ['*/x', '../x', false], ['**', '../x', false], ['**', 'a/../b', false],
  ['**/x', '../x', false], ['?', '.', false], ['.*', '..', false], ['../*', '../x', true], ['../**/x', '../a/x', true],
  ['$ORIGIN/../lib/rustlib/*/lib', '$ORIGIN/../lib/rustlib/x86_64-unknown-linux-gnu/lib', true],
  ['$ORIGIN/*/lib', '$ORIGIN/../lib', false], ['*.*', '.a', true], ['.*', '.x', true],
  // literals
  ['a.b', 'a.b', true], ['a.b', 'axb', false], ['libc++*', 'libc++.so.1', true], ['a+b', 'a+b', true], ['a@b', 'a@b', true],
  ['x!', 'x!', true],
  ['api-ms-win-crt-*.dll', 'api-ms-win-crt-runtime-l1-1-0.dll', true], ['api-ms-win-*-*-*.dll', 'api-ms-win-core-a-b.dll', true],
];

describe('glob dialect: whole-string matches', () => {
  it.each(WHOLE.map(([p, s, m]) => [JSON.stringify(p), JSON.stringify(s), m, p, s] as const))('%s vs %s → %s', (_p, _s, m, p, s) => {
    expect(compileGlob(p)(s)).toBe(m);
    expect(matchEntry(p, s)).toBe(m);
  });
});

describe('glob dialect: case, base names, path spellings', () => {
  it('nocase folds letters on both sides, in literals and in classes (PE names)', () => {
    expect(compileGlob('*.dll', true)('X.DLL')).toBe(true);
    expect(compileGlob('VCRUNTIME*.dll', true)('vcruntime140.DLL')).toBe(true);
    expect(compileGlob('[A-Z]x', true)('ax')).toBe(true);
    expect(compileGlob('[a-z]x', true)('AX')).toBe(true);
    expect(compileGlob('[!a]', true)('A')).toBe(false);
    expect(compileGlob('ÄÖ*', true)('äöü')).toBe(true);
    expect(compileGlob('*.dll')('X.DLL')).toBe(false);
  });

  it('a pattern without "/" matches the base name at any depth; one with "/" the whole path', () => {
    expect(matchName(['libssl*.dylib'], '/opt/homebrew/opt/openssl@3/lib/libssl.3.dylib')).toBe('libssl*.dylib');
    expect(matchName(['lib/*.dylib'], '/opt/lib/libssl.3.dylib')).toBeUndefined();
    expect(matchesPath(['lib*.so.*'], 'dist/lib/libx.so.1')).toBe(true);
    expect(matchesPath(['lib/lib*.so.*'], 'dist/lib/libx.so.1')).toBe(false);
    expect(matchesPath(['dist/**/lib*.so.*'], 'dist/lib/libx.so.1')).toBe(true);
    expect(matchesPath(['elf/x-*'], 'elf/x-y')).toBe(true);
    expect(matchesPath(['*'], 'a/b/bad\nname')).toBe(true);
    expect(matchName(['vcruntime*.dll'], 'VCRUNTIME140.dll', true)).toBe('vcruntime*.dll');
    expect(matchName(['vcruntime*.dll'], 'VCRUNTIME140.dll')).toBeUndefined();
    // a base name also ends at "\" (PE import names may carry one)
    expect(matchName(['x.dll'], 'C:\\dir\\x.dll', true)).toBe('x.dll');
  });

  it('absolute patterns see the absolute spelling; relative ones the relative spelling, or the absolute one from outside', () => {
    expect(matchesPath(['/opt/app/bin/*'], ['bin/x', '/opt/app/bin/x'])).toBe(true);
    expect(matchesPath(['/opt/app/bin/*'], ['bin/x'])).toBe(false);
    expect(matchesPath(['**'], ['bin/x', '/opt/app/bin/x'])).toBe(true);
    expect(matchesPath(['opt/**'], ['bin/x', '/opt/app/bin/x'])).toBe(false);
    expect(matchesPath(['**'], ['../dist/x', '/opt/dist/x'])).toBe(true);
    expect(matchesPath(['../dist/*'], ['../dist/x', '/opt/dist/x'])).toBe(true);
    expect(matchesPath(['C:/x/*'], ['y', 'C:/x/y'])).toBe(true);
    expect(matchesPath(['**'], ['../bad\nname', '/abs/bad\nname'])).toBe(true);
  });
});

describe('glob dialect: plan errors', () => {
  it.each([
    ['bin/[abc', 'Missing closing: "]"'],
    ['[]', 'Missing closing: "]"'],
    ['[a\\', 'Missing closing: "]"'],
    ['libssl{3,1.1', 'Missing closing: "}"'],
    ['{a,{b,c}', 'Missing closing: "}"'],
    ['a]', 'Missing opening: "["'],
    ['', 'an empty pattern matches nothing'],
    ['abc\\', 'a trailing backslash escapes nothing'],
    ['@(a|b)', 'extglob "@(…)" is not supported'],
    ['*(a)', 'extglob "*(…)" is not supported'],
    ['x+(a)', 'extglob "+(…)" is not supported'],
    ['x?(a)', 'extglob "?(…)" is not supported'],
    ['!(a)', 'extglob "!(…)" is not supported'],
    ['!a', 'a leading "!" (negation) is not supported'],
    ['(a|b)', '"|" is not glob syntax'],
    ['[[:alpha:]]', 'POSIX class "[:alpha:]" is not supported'],
    ['{1..3}', 'brace ranges such as "{1..3}" are not supported'],
    ['{a..z}', 'brace ranges such as "{a..z}" are not supported'],
    ['[z-a]', 'range "z-a" is out of order'],
    ['a[/]b', '"/" in […] never matches'],
    ['{a,b}**', '"**" next to a brace group is ambiguous'],
    ['x'.repeat(4097), '4097 characters, more than the limit of 4096'],
    ['{'.repeat(33) + '}'.repeat(33), 'braces nested more than 32 deep'],
  ])('%s', (p, msg) => {
    expect(globSyntaxProblem(p)).toContain(msg);
  });

  it('accepts what the presets, the samples and the docs use', () => {
    for (const p of ['**', '**/*.d', 'target/**/build/**', 'lib*.so.*', 'msvcr[0-9]*.dll', '$ORIGIN/../lib/rustlib/*/lib', '${ORIGIN}/x',
      'libs{3,1.1}', '[*]', '[?]', '[[]', 'x'.repeat(4096), `${'{a,'.repeat(32)}b${'}'.repeat(32)}`]) {
      expect(globSyntaxProblem(p), p).toBeNull();
    }
  });
});

describe('a matcher reused over many inputs', () => {
  it('answers as a freshly compiled one does, whatever it matched before (its state lists are reused)', () => {
    const globs = ['**/*.so*', 'bin/{a,b}*/x?', '**', 'lib/**/[!.]*.dll', '*.{exe,dll}', 'a/**/b/**/c'];
    const inputs = ['lib/libz.so.1', 'bin/ab/xy', 'bin/c/xy', 'lib/x/y/z.dll', 'lib/.z.dll', 'a.exe', 'A.DLL', 'a/b/c', 'a/x/b/y/c',
      'a/../b', '', 'bin/a/x', 'lib/../lib/libz.so', 'é/ü.so'];
    const reused = globs.map((g) => [compileGlob(g), compileGlob(g, true)] as const);
    let checked = 0, matched = 0;
    for (let round = 0; round < 3; round++) {
      for (const input of round === 1 ? [...inputs].reverse() : inputs) {
        globs.forEach((g, i) => {
          for (const nocase of [false, true]) {
            const got = reused[i][nocase ? 1 : 0](input);
            expect(got, `${g} ${nocase} ${JSON.stringify(input)}`).toBe(compileGlob(g, nocase)(input));
            checked++;
            if (got) matched++;
          }
        });
      }
    }
    expect([checked, matched > 40, matched < checked]).toEqual([3 * inputs.length * globs.length * 2, true, true]);
  });
});
