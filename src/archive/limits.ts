/**
 * Limits for archives, checked while reading (docs/archives.md). A member is buffered only when its first bytes are a
 * binary or an archive, and only up to maxMemberBytes; decompression stops at the per-stream, total and ratio
 * limits as it goes.
 */
export const archiveLimits = {
  /** Bytes of one member held in memory to analyse it (binaries, nested archives). */
  maxMemberBytes: 1024 * 1024 * 1024,
  /** Bytes one decompressor may produce. */
  maxStreamBytes: 64 * 1024 * 1024 * 1024,
  /** Bytes all decompressors of one input may produce together. */
  maxTotalBytes: 128 * 1024 * 1024 * 1024,
  /** Inflated / compressed, past 1 MiB of output. Real tarballs of binaries stay under 20×; bombs reach 1000×. */
  maxRatio: 200,
  /** Archives inside archives: a .tgz holding a .whl holding a .so is depth 2. */
  maxDepth: 4,
  /** Members of one archive (headers read), a guard against a stream of empty headers. */
  maxMembers: 1_000_000,
  /** Bytes of pax / GNU long-name records, and of a symlink target read from a zip member. */
  maxMetaBytes: 1024 * 1024,
  /**
   * Zeros GNU tar sparse members' holes may expand to, over every tar of one input (nested ones too): a member is
   * read into memory up to maxMemberBytes anyway; this bounds the time a few KB of nested sparse members can cost
   * (about a second a GiB) while leaving room for real ones (six 200 MiB executables padded by truncate: 1.2 GiB).
   */
  maxHoleBytes: 8 * 1024 * 1024 * 1024,
};

export type ArchiveLimits = typeof archiveLimits;
