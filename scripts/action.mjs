#!/usr/bin/env node
/**
 * Helpers of scripts/action.sh that a shell does badly. Usage:
 *   node scripts/action.mjs args          the words of $INPUT_ARGS, each ended by a NUL byte, on stdout
 *   node scripts/action.mjs diff FORMAT FILE   a `linkplan diff --format json` report rendered as FORMAT on stdout
 * Exit 2, with one line on stderr, when the args cannot be split (an unterminated quote) or the report cannot be read.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Words as a shell splits them, without anything else a shell does (no globs, no $variables, no commands): blanks and
 * new lines separate words; '…' keeps everything in it; "…" too, but for \" and \\; outside quotes a backslash keeps
 * the next character. Returns the words, or why the text cannot be split.
 */
function splitArgs(text) {
  const words = [];
  let word = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (word !== null) words.push(word);
      word = null;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { error: `an unterminated ' at character ${i + 1}` };
      word = (word ?? '') + text.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let s = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && (text[j + 1] === '"' || text[j + 1] === '\\')) j++;
        s += text[j];
      }
      if (j >= text.length) return { error: `an unterminated " at character ${i + 1}` };
      word = (word ?? '') + s;
      i = j;
    } else if (c === '\\' && i + 1 < text.length) {
      word = (word ?? '') + text[++i];
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== null) words.push(word);
  return { words };
}

const fail = (line) => {
  process.stderr.write(`linkplan action: ${line}\n`);
  process.exit(2);
};

const [cmd, ...rest] = process.argv.slice(2);
if (cmd === 'args') {
  const r = splitArgs(process.env.INPUT_ARGS ?? '');
  if (r.error) fail(`the args input cannot be split into words: ${r.error}`);
  process.stdout.write(r.words.map((w) => `${w}\0`).join(''));
} else if (cmd === 'diff') {
  const [format, file] = rest;
  let report;
  try {
    // The JSON is the report (diff/model.ts) with the tool that wrote it.
    const { tool: _tool, ...r } = JSON.parse(readFileSync(file, 'utf8'));
    report = r;
  } catch (e) {
    fail(`${file}: not a diff report (${e instanceof Error ? e.message : String(e)})`);
  }
  // The built library of this checkout: the renderers `linkplan diff --format` uses, so the output is the same.
  const lib = await import(pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'index.js')).href);
  const width = process.stdout.columns || Number(process.env.COLUMNS) || 120;
  const color = !!process.stdout.isTTY && !process.env.NO_COLOR;
  const render = { markdown: lib.renderDiffMarkdown, github: lib.renderDiffGithub, table: (r) => lib.renderDiffTable(r, { width, color }) }[format];
  if (!render) fail(`diff renders table, github or markdown, not '${format}'`);
  process.stdout.write(render(report));
} else {
  fail(`unknown helper '${cmd ?? ''}' (expected args or diff)`);
}
