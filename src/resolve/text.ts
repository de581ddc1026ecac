import type { Sysroot } from './model.js';

/** A small configuration file's text (ld.so.conf, musl's path file), or null; larger than 1 MiB is cut. */
export function readText(root: Sysroot, path: string): string | null {
  if (!root.isFile(path)) return null;
  const src = root.read(path);
  if (!src) return null;
  try {
    return new TextDecoder('utf-8', { fatal: false }).decode(src.read(0, Math.min(src.size, 1 << 20)));
  } finally {
    root.release?.(src);
  }
}
