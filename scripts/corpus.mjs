#!/usr/bin/env node
// npm run corpus: fetch a pinned list of real third-party release binaries (npm platform packages) into
// .cache/corpus (unpacked) and .cache/corpus-tgz (the tarballs as published, for audit), never committed.
// Idempotent: a package already there is not fetched again.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(root, '.cache', 'corpus');
const tarballs = join(root, '.cache', 'corpus-tgz');

/** Pinned: exact versions, so the corpus test's expectations stay true. */
export const CORPUS = [
  '@esbuild/linux-x64@0.25.0',          // Go, static ELF
  '@esbuild/linux-x64@0.24.0',          // the same package one release earlier: linkplan diff across versions
  '@esbuild/linux-arm64@0.25.0',        // Go, static ELF, aarch64
  '@esbuild/win32-x64@0.25.0',          // Go, PE: no CRT
  '@esbuild/darwin-arm64@0.25.0',       // Go, Mach-O
  '@biomejs/cli-linux-x64-musl@1.9.4',  // Rust, musl static
  '@biomejs/cli-linux-x64@1.9.4',       // Rust
  '@biomejs/cli-win32-x64@1.9.4',       // Rust, MSVC
  '@biomejs/cli-darwin-x64@1.9.4',      // Rust, Mach-O x86_64
  '@rollup/rollup-linux-x64-gnu@4.34.8',   // napi-rs cdylib (.node), glibc
  '@rollup/rollup-linux-x64-musl@4.34.8',  // napi-rs cdylib (.node), musl
  '@rollup/rollup-win32-x64-msvc@4.34.8',  // napi-rs DLL (.node), MSVC
  '@rollup/rollup-darwin-arm64@4.34.8',    // napi-rs dylib (.node)
];

mkdirSync(cache, { recursive: true });
mkdirSync(tarballs, { recursive: true });
let fetched = 0, failed = 0;
for (const spec of CORPUS) {
  const dir = join(cache, spec.replace('/', '__'));
  const tgzCopy = join(tarballs, `${spec.replace('/', '__')}.tgz`);
  if (existsSync(join(dir, '.done')) && existsSync(tgzCopy)) continue;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    const out = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const tgz = out.trim().split('\n').pop();
    execFileSync('tar', ['-xzf', join(dir, tgz), '-C', dir]);
    copyFileSync(join(dir, tgz), tgzCopy);
    rmSync(join(dir, tgz));
    writeFileSync(join(dir, '.done'), spec + '\n');
    fetched++;
  } catch (e) {
    failed++;
    console.error(`corpus: could not fetch ${spec}: ${String(e.stderr || e.message).trim().split('\n')[0]}`);
  }
}
const have = readdirSync(cache).filter((d) => existsSync(join(cache, d, '.done'))).length;
console.log(`corpus: ${have}/${CORPUS.length} packages in .cache/corpus (${fetched} fetched now)`);
process.exit(failed ? 2 : 0);
