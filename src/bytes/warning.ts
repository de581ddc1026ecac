/**
 * A problem with an optional part of a file: the rest was read (goblin's permissive mode). Readers produce them and
 * facts carry them; they live here, below both, so that no reader imports from facts/.
 */
export interface Warning {
  code: string;
  detail: string;
  offset?: number;
}
