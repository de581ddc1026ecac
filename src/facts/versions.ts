/** Compare dotted numeric versions ("2.28" < "2.28.1" < "2.34"). */
export function compareVersions(a: string, b: string): number {
  if (a === b) return 0;
  const pa = a.split('.'), pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = Number(pa[i] ?? 0) - Number(pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}
