/** What container readers hand the archive walker: members as the container states them, and their bodies. */
import type { Chunks } from './chunks.js';
import type { ArchiveError } from './errors.js';

export type MemberKind = 'file' | 'directory' | 'symlink' | 'hardlink' | 'char-device' | 'block-device' | 'fifo' | 'other';

export interface Member {
  /** The name as stored (bytes that are not UTF-8 written \xNN), never normalised: `../x` stays `../x`. */
  name: string;
  /**
   * The name's bytes, where the container has them: what is absolute or `..` is judged on these (a name whose first
   * byte is not UTF-8 reads `\xe9…` in `name`, which is no backslash).
   */
  nameBytes?: Uint8Array;
  kind: MemberKind;
  /** Bytes of the body (uncompressed, where the container says). */
  size: number;
  /** Bytes the body takes compressed in the container (a zip member), for the expansion-ratio limit. */
  packedSize?: number;
  /** Symlink and hardlink targets, as stored. */
  target?: string;
  /**
   * Why a link's target could not be read (a zip symlink's over maxMetaBytes, or its data unreadable): the member is
   * an error, not a link to "" that stays inside the tree.
   */
  targetError?: ArchiveError;
  /** The body as a stream; read at most once, and only before the next member is asked for. */
  body(): Chunks;
  /**
   * Problems the container itself found with this member (a zip local header that disagrees with the central
   * directory): reported with the member, which is still read where the bytes allow.
   */
  problems?: string[];
}

/** A container read as a stream: members in order. Throws ArchiveError for a truncated or corrupt stream. */
export type MemberStream = AsyncGenerator<Member, void, void>;
