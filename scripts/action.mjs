#!/usr/bin/env node
/**
 * Helpers of scripts/action.sh that a shell does badly. Usage:
 *   node scripts/action.mjs args          the words of $INPUT_ARGS, each ended by a NUL byte, on stdout
 * Exit 2, with one line on stderr, when the args cannot be split (an unterminated quote).
 */
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

const [cmd] = process.argv.slice(2);
if (cmd === 'args') {
  const r = splitArgs(process.env.INPUT_ARGS ?? '');
  if (r.error) fail(`the args input cannot be split into words: ${r.error}`);
  process.stdout.write(r.words.map((w) => `${w}\0`).join(''));
} else {
  fail(`unknown helper '${cmd ?? ''}' (expected args)`);
}
