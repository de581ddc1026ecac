/** Names of the flags set in `value`: an entry counts when all of its bits are set. Shared by every format. */
export function flagNames(value: number, table: readonly (readonly [number, string])[]): string[] {
  const out: string[] = [];
  for (const [bits, name] of table) if ((value & bits) >>> 0 === bits >>> 0) out.push(name);
  return out;
}
