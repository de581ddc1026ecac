/** ELF-only facts (the common ones live on ElfFacts itself). Names follow the gABI. */
export interface ElfVersionNeed {
  /** vn_file: the library the versions are needed from. */
  file: string;
  /** vna_name of each Vernaux, in file order. */
  versions: string[];
}

export interface ElfFloors {
  /** Highest GLIBC_x.y[.z] required: the oldest glibc the binary can run on. */
  glibc: string | null;
  glibcxx: string | null;
  cxxabi: string | null;
  gcc: string | null;
}

export interface ElfDetails {
  class: 'ELF32' | 'ELF64';
  /** e_type as in the spec: ET_EXEC, ET_DYN, ET_REL, ET_CORE, or ET_<n>. */
  eType: string;
  machine: string;
  eMachine: number;
  osabi: string;
  /** e_entry; as a hex string where a number cannot hold it exactly (past 2^53: a kernel image). */
  entry: number | string;
  /** p_type names of every program header, in order. */
  segments: string[];
  hasDynamic: boolean;
  relro: boolean;
  /** PT_GNU_STACK p_flags as "RW" / "RWX", or null when there is no PT_GNU_STACK. */
  gnuStack: string | null;
  tls: boolean;
  /** DT_FLAGS names set (BIND_NOW, TEXTREL, ORIGIN, SYMBOLIC, STATIC_TLS). */
  flags: string[];
  /** DT_FLAGS_1 names set (PIE, NOW, NODELETE, ORIGIN, …). */
  flags1: string[];
  /** Presence of the standalone dynamic tags (DT_BIND_NOW, DT_TEXTREL, DT_DEBUG, DT_SYMBOLIC). */
  dynamicTags: string[];
  versionNeeds: ElfVersionNeed[];
  floors: ElfFloors;
  buildId: string | null;
  /** NT_GNU_ABI_TAG: OS and the oldest kernel the C library supports. */
  abiTag: { os: string; version: string } | null;
  /** Other note owners seen ("Go", "Android", "FreeBSD", …): toolchain / libc evidence. */
  noteOwners: string[];
  goBuildId: string | null;
  /** .comment strings: which compilers and linkers touched the file. */
  comments: string[];
  /** Section headers present (stripped files may have none). */
  hasSectionHeaders: boolean;
}
