import { inspectPaths } from '../node/inspect-paths.js';
import { EXIT_ERROR, EXIT_OK, errorLine, version, write } from './output.js';
import { isFailed } from '../facts/types.js';

export interface InspectOptions {
  json?: boolean;
  format?: string;
  long?: boolean;
  color?: boolean;
}

export async function runInspect(paths: string[], opts: InspectOptions): Promise<number> {
  const format = opts.json ? 'json' : (opts.format ?? 'table');
  if (format !== 'table' && format !== 'json') {
    errorLine(`unknown --format '${format}' for inspect (expected table or json)`);
    return EXIT_ERROR;
  }
  const report = inspectPaths(paths);
  for (const b of report.binaries) if (isFailed(b)) errorLine(`${b.path}: ${b.error.message}`);
  if (format === 'json') {
    const { renderInspectJson } = await import('../report/json.js');
    write(renderInspectJson(report, version()));
  } else {
    const { renderInspectTable } = await import('../report/table.js');
    write(renderInspectTable(report, { width: process.stdout.columns || Number(process.env.COLUMNS) || 120, long: opts.long, color: !!process.stdout.isTTY && opts.color !== false }));
  }
  return report.binaries.some(isFailed) ? EXIT_ERROR : EXIT_OK;
}
