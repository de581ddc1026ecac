/**
 * Items grouped by a key, in input order; an item whose key is undefined is left out. One push per item: the
 * renderers group attacker-sized finding lists (a spread per item made them quadratic).
 */
export function groupBy<T, K>(items: Iterable<T>, key: (item: T) => K | undefined): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const g = out.get(k);
    if (g) g.push(item);
    else out.set(k, [item]);
  }
  return out;
}
