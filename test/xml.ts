/**
 * A strict little XML 1.0 reader for our own JUnit output: well-formedness (nesting, quoting, escaping, and every
 * code point an XML 1.0 Char, lone surrogates included).
 */
import { expect } from 'vitest';

/** XML 1.0 §2.2 Char. */
export const isXmlChar = (c: number) =>
  c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);

export interface El { name: string; attrs: Record<string, string>; children: El[]; text: string }

export function parseXml(xml: string): El {
  for (const ch of xml) expect(isXmlChar(ch.codePointAt(0)!), `U+${ch.codePointAt(0)!.toString(16)} is not an XML 1.0 Char`).toBe(true);
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/;
  expect(xml).toMatch(decl);
  let s = xml.replace(decl, '');
  const root: El = { name: '#root', attrs: {}, children: [], text: '' };
  const stack = [root];
  const unescape = (t: string) => {
    expect(t, 'bare & or <').not.toMatch(/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)|</);
    const out = t.replace(/&#(\d+);|&#x([0-9a-fA-F]+);/g, (_, d: string, h: string) => {
      const c = d !== undefined ? Number(d) : parseInt(h, 16);
      expect(isXmlChar(c), `character reference to U+${c.toString(16)}, which XML 1.0 forbids`).toBe(true);
      return String.fromCodePoint(c);
    });
    return out.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  };
  const TAG = /^<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>/;
  while (s.length) {
    const lt = s.indexOf('<');
    const text = lt < 0 ? s : s.slice(0, lt);
    if (text) stack[stack.length - 1].text += unescape(text);
    if (lt < 0) break;
    s = s.slice(lt);
    const m = TAG.exec(s);
    if (!m) throw new Error(`malformed tag at: ${s.slice(0, 60)}`);
    s = s.slice(m[0].length);
    const [, close, name, attrText, selfClose] = m;
    if (close) {
      const top = stack.pop()!;
      expect(top.name).toBe(name);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
      expect(attrs[a[1]], `duplicate attribute ${a[1]}`).toBeUndefined();
      attrs[a[1]] = unescape(a[2]);
    }
    const el: El = { name, attrs, children: [], text: '' };
    stack[stack.length - 1].children.push(el);
    if (!selfClose) stack.push(el);
  }
  expect(stack).toHaveLength(1);
  expect(root.children).toHaveLength(1);
  return root.children[0];
}

