#!/usr/bin/env node
/**
 * tsc's entry point: `node dist/cli/main.js` runs the CLI from the unbundled modules, always (the bin, bin.cjs, runs
 * the bundle, and this when there is none). run.ts holds the CLI, so nothing here depends on how the file was named.
 */
import { run } from './run.js';

void run(process.argv);
