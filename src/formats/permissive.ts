import { isMalformed } from '../bytes/errors.js';
import type { Warning } from '../bytes/warning.js';

/**
 * goblin's permissive mode: read an optional structure; when it is malformed, record a warning and go on with
 * `fallback`. Anything that is not a MalformedError is a bug and propagates.
 */
export function permissive<T>(warnings: Warning[], code: string, fallback: T, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (!isMalformed(e)) throw e;
    warnings.push({ code, detail: e.reason, offset: e.offset });
    return fallback;
  }
}
