/**
 * Path prefixes that only exist on build machines (CI runners, developers' homes, temp dirs), and where Homebrew
 * installs. One table each, so build-path, pdb-path and homebrew-path agree on what a leaked path is.
 */
import { leadsTo } from '../facts/paths.js';
import type { BuildPathSource } from '../plan/model.js';

export interface BuildPrefix {
  prefix: string;
  source: BuildPathSource;
}

/**
 * Longest match wins, so the CI-specific entries under a home directory label the runner rather than "home".
 * Windows entries (a drive letter) compare case-insensitively with either separator, as Windows resolves them.
 */
export const BUILD_PREFIXES: readonly BuildPrefix[] = [
  { prefix: '/home/', source: 'home' },
  { prefix: '/home/runner/work/', source: 'github-actions' },
  { prefix: '/Users/', source: 'macos-home' },
  { prefix: '/Users/runner/work/', source: 'github-actions' },
  { prefix: '/build/', source: 'build' }, // Debian sbuild / pbuilder build trees
  { prefix: '/tmp/', source: 'temp' },
  { prefix: '/var/tmp/', source: 'temp' },
  { prefix: '/private/var/folders/', source: 'macos-temp' }, // $TMPDIR on macOS
  { prefix: '/opt/hostedtoolcache/', source: 'github-actions' },
  { prefix: '/runner/', source: 'github-actions' }, // actions-runner-controller pods
  { prefix: '/github/workspace', source: 'github-actions' }, // Docker container actions
  { prefix: '/__w/', source: 'github-actions' }, // container jobs
  { prefix: '/builds/', source: 'gitlab' },
  { prefix: 'C:\\Users\\', source: 'windows-home' },
  { prefix: 'C:/Users/', source: 'windows-home' },
  { prefix: 'D:\\a\\', source: 'github-actions' }, // hosted Windows runners' work directory
];

/** Homebrew prefixes: macOS arm64, macOS x86_64 (Cellar and opt links), Linuxbrew. */
export const HOMEBREW_PREFIXES: readonly string[] = ['/opt/homebrew/', '/usr/local/Cellar/', '/usr/local/opt/', '/home/linuxbrew/.linuxbrew/'];

const isDrive = (p: string) => /^[A-Za-z]:[\\/]/.test(p);
const norm = (p: string) => p.replace(/\\/g, '/').toLowerCase();

function hit(entry: BuildPrefix, path: string, anywhere: boolean): boolean {
  if (!isDrive(entry.prefix)) return anywhere ? path.includes(entry.prefix) : path.startsWith(entry.prefix);
  const p = norm(path), e = norm(entry.prefix);
  return anywhere ? p.includes(e) : p.startsWith(e);
}

/**
 * The build-machine prefix a path starts with (`anywhere`: contains, for PDB paths that may name the build tree
 * after some other directory), the longest one if several match; null if none.
 */
export function buildPrefix(path: string, anywhere = false): BuildPrefix | null {
  let best: BuildPrefix | null = null;
  // A POSIX path is judged where it leads: `/usr/lib/../../home/runner/work/lib` is the runner's work tree.
  const where = anywhere ? path : leadsTo(path);
  for (const e of BUILD_PREFIXES) if (hit(e, where, anywhere) && (!best || e.prefix.length > best.prefix.length)) best = e;
  return best;
}

/** The Homebrew prefix a path starts with, or null. The prefix without its final "/" counts too (an rpath entry). */
export function homebrewPrefix(path: string): string | null {
  const where = leadsTo(path);
  return HOMEBREW_PREFIXES.find((p) => where.startsWith(p) || where === p.slice(0, -1)) ?? null;
}
