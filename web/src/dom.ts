/**
 * The page's only way to put text on screen: text nodes, never markup. Everything a binary or an archive says is
 * attacker-controlled, so it goes through visible() (control characters, bidi overrides, line separators escaped,
 * as every human renderer of the CLI does) and then into textContent.
 */
import { visible, type Cell } from 'linkplan';

type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(typeof c === 'string' ? text(c) : c);
  return e;
}

/** A text node of `s` as a terminal would show it (escaped where it must be). */
export const text = (s: string) => document.createTextNode(visible(s));

/** Text of many lines (a <pre>): each line escaped on its own, so the line breaks stay breaks. */
export const lines = (s: string) => document.createTextNode(s.split('\n').map((l) => visible(l)).join('\n'));

/** A table cell's lines (the CLI's Cell: one string, or one per line). */
export function cellLines(c: Cell): Node {
  const f = document.createDocumentFragment();
  const ls = typeof c === 'string' ? [c] : c;
  ls.forEach((l, i) => {
    if (i) f.append(el('br'));
    f.append(text(l));
  });
  return f;
}

/** Remove every child of `e` and add these. */
export function fill(e: Element, ...children: Child[]): void {
  e.replaceChildren();
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(typeof c === 'string' ? text(c) : c);
}

/** A simple table: header cells and rows of cells (strings are escaped text, Nodes as they are). */
export function table(caption: string, head: string[], rows: (string | Node)[][], attrs: Record<string, string> = {}): HTMLTableElement {
  return el('table', attrs,
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, c))))),
  );
}

export const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
