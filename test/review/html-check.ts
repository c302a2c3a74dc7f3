/**
 * A small well-formedness check for the HTML gmemcheck writes (no parser dependency): the page
 * is read as the HTML5 tokenizer would read this subset, and anything that would make a browser
 * repair it is a problem: a stray `<` or `&`, an end tag out of order, an element left open,
 * a block opened inside a `<p>` (which the parser would close early), an id twice.
 */

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
/** Elements whose content is raw text up to their end tag. */
const RAW = new Set(['script', 'style']);
/** Elements whose start tag closes an open `<p>`. */
const BLOCK = new Set(['address', 'blockquote', 'details', 'div', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'main', 'p', 'pre', 'section', 'table', 'ul', 'ol']);

const TAG = /<(\/?)([a-z][a-z0-9]*)((?:\s+[a-z-]+(?:="[^"<]*")?)*)\s*>/y;
const ATTR = /\s+([a-z-]+)(?:="([^"]*)")?/g;
const ENTITY = /&(?:amp|lt|gt|quot|#\d+);/y;

export interface HtmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
}

/** The problems of `html`, as `offset: what`; an empty list when it is well formed. */
export function htmlProblems(html: string, onElement: (el: HtmlElement) => void = () => {}): string[] {
  const problems: string[] = [];
  const doctype = '<!DOCTYPE html>\n';
  if (!html.startsWith(doctype)) problems.push('0: no <!DOCTYPE html> first');
  const open: string[] = [];
  const ids = new Set<string>();
  let i = html.startsWith(doctype) ? doctype.length : 0;
  while (i < html.length) {
    const c = html[i];
    if (c === '&') {
      ENTITY.lastIndex = i;
      if (!ENTITY.test(html)) problems.push(`${i}: a bare & (${JSON.stringify(html.slice(i, i + 12))})`);
      i++;
      continue;
    }
    if (c === '>') problems.push(`${i}: a bare > in text`);
    if (c !== '<') {
      i++;
      continue;
    }
    TAG.lastIndex = i;
    const tag = TAG.exec(html);
    if (!tag) {
      problems.push(`${i}: a < that starts no tag (${JSON.stringify(html.slice(i, i + 20))})`);
      i++;
      continue;
    }
    i = TAG.lastIndex;
    const [, slash, name, rest] = tag;
    if (slash) {
      const top = open.pop();
      if (top !== name) problems.push(`${tag.index}: </${name}> closes <${top ?? 'nothing'}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const [, key, value = ''] of rest.matchAll(ATTR)) {
      if (/&(?!(?:amp|lt|gt|quot|#\d+);)/.test(value)) problems.push(`${tag.index}: a bare & in ${key}="${value}"`);
      attrs[key] = value;
    }
    if (attrs.id !== undefined) {
      if (!/^\S+$/.test(attrs.id)) problems.push(`${tag.index}: id "${attrs.id}" is empty or has a space`);
      if (ids.has(attrs.id)) problems.push(`${tag.index}: id "${attrs.id}" twice`);
      ids.add(attrs.id);
    }
    if (BLOCK.has(name) && open.includes('p')) problems.push(`${tag.index}: <${name}> inside <p>`);
    onElement({ name, attrs });
    if (VOID.has(name)) continue;
    if (RAW.has(name)) {
      const end = html.indexOf(`</${name}>`, i);
      if (end < 0) {
        problems.push(`${tag.index}: <${name}> never closed`);
        break;
      }
      i = end + `</${name}>`.length;
      continue;
    }
    open.push(name);
  }
  if (open.length) problems.push(`end: still open: ${open.join(' > ')}`);
  return problems;
}

/** The text of an HTML fragment: tags dropped, entities read. */
export function textOf(fragment: string): string {
  return fragment.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n))).replace(/&amp;/g, '&');
}

/** Each `<table class="matrix">` as rows of cell texts, the header row first. */
export function matrixTables(html: string): string[][][] {
  return [...html.matchAll(/<table class="matrix">([\s\S]*?)<\/table>/g)].map(([, table]) =>
    [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map(([, row]) => [...row.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map(([, c]) => textOf(c))));
}
