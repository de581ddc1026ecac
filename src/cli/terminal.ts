/**
 * What the terminal asks of human output, as pure functions of the environment (so they are tested without a TTY).
 */

/**
 * Colour only on a terminal, never with `--no-color` (`flag` false) and never when NO_COLOR is set to anything
 * non-empty (https://no-color.org): a CI log or a pipe gets plain text.
 */
export function useColor(env: Record<string, string | undefined>, isTTY: boolean | undefined, flag: boolean | undefined): boolean {
  return !!isTTY && flag !== false && !env.NO_COLOR;
}

/**
 * Columns to fit: COLUMNS when it is a positive integer (set by the user or a CI runner; it wins over the terminal,
 * as for ls), else the terminal's own width, else 120 (a pipe or a log has no width of its own).
 */
export function terminalWidth(env: Record<string, string | undefined>, columns: number | undefined): number {
  const c = Number(env.COLUMNS);
  if (Number.isInteger(c) && c > 0) return c;
  return columns && columns > 0 ? columns : 120;
}
