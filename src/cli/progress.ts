import { visible } from '../report/text.js';

/**
 * Progress on stderr while a terminal watches a long run (archive bytes read, members done, the current member),
 * redrawn at most every 200 ms on one line; nothing at all when stderr is not a TTY (CI logs stay clean).
 */
export function progress() {
  const tty = !!process.stderr.isTTY && !process.env.CI;
  let bytes = 0, members = 0, last = 0, shown = false, current = '';
  const draw = () => {
    const now = Date.now();
    if (!tty || now - last < 200) return;
    last = now;
    const cols = process.stderr.columns || 80;
    const line = `linkplan: ${(bytes / 1048576).toFixed(1)} MiB read, ${members} members: ${visible(current, 200)}`;
    process.stderr.write(`\r${line.slice(0, cols - 1)}\u001b[K`);
    shown = true;
  };
  return {
    bytes: (n: number) => { bytes += n; draw(); },
    member: (p: string) => { members++; current = p; draw(); },
    clear: () => { if (shown) { process.stderr.write('\r\u001b[K'); shown = false; } },
  };
}
