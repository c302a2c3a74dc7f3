/**
 * How a plain value reads in a report: compact, JavaScript-like, one line.
 *
 * Generic on purpose (the checker knows nothing of pfns or gfns): numbers in decimal, strings
 * unquoted where they read as a word (`snapshot`, `get_pfn`), Maps as `Map{k: v}`, Sets as
 * `{a, b}` (the empty one `Set{}`). A missing value (absent key, `undefined`) reads `-`, as in the text report's
 * `thread[0].mmu_seq: - -> 4`.
 */

/** A string that reads unambiguously without quotes. */
const WORD = /^[A-Za-z_][\w.+-]*$/;
/** An object key that needs no quotes. */
const IDENT = /^[A-Za-z_$][\w$]*$/;

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Map || v instanceof Set) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function formatValue(v: unknown): string {
  if (v === undefined) return '-';
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      // Words that could be mistaken for another value (`null`, `true`, `-`) keep their quotes.
      return WORD.test(v) && v !== 'null' && v !== 'true' && v !== 'false' && v !== 'undefined' ? v : JSON.stringify(v);
    case 'number':
      return Object.is(v, -0) ? '-0' : String(v);
    case 'bigint':
      return `${v}n`;
    case 'boolean':
      return String(v);
    case 'object':
      break;
    default:
      return String(v);
  }
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (v instanceof Map) return `Map{${[...v].map(([k, x]) => `${formatValue(k)}: ${formatValue(x)}`).join(', ')}}`;
  if (v instanceof Set) return v.size === 0 ? 'Set{}' : `{${[...v].map(formatValue).join(', ')}}`;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  return `{${entries.map(([k, x]) => `${IDENT.test(k) ? k : JSON.stringify(k)}: ${formatValue(x)}`).join(', ')}}`;
}

/** `a.b`, or `a["b c"]` for a key that is not an identifier. */
export function childPath(path: string, key: string): string {
  if (!IDENT.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

export function indexPath(path: string, index: string): string {
  return `${path}[${index}]`;
}

/**
 * `formatValue`, broken over lines where it is wider than `width`: a list, record or Map too
 * wide for one line writes its elements on the lines below, indented by two, as many to a line
 * as fit; an element too wide for a line of its own is broken the same way. The first line is
 * `firstLinePrefix` characters shorter (a `key: ` written before it).
 */
export function formatValueLines(v: unknown, width: number, firstLinePrefix = 0): string[] {
  const flat = formatValue(v);
  if (flat.length + firstLinePrefix <= width || typeof v !== 'object' || v === null) return [flat];
  let open: string;
  let items: { key?: string; value: unknown }[];
  if (Array.isArray(v)) [open, items] = ['[', v.map((value) => ({ value }))];
  else if (v instanceof Map) [open, items] = ['Map{', [...v].map(([k, value]) => ({ key: formatValue(k), value }))];
  else if (v instanceof Set) [open, items] = ['{', [...v].map((value) => ({ value }))];
  else {
    open = '{';
    items = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .map(([k, value]) => ({ key: IDENT.test(k) ? k : JSON.stringify(k), value }));
  }
  if (items.length === 0) return [flat];
  const lines = [open];
  let packed = '';
  const flush = () => {
    if (packed !== '') lines.push(`  ${packed}`);
    packed = '';
  };
  items.forEach(({ key, value }, i) => {
    const prefix = key === undefined ? '' : `${key}: `;
    const comma = i < items.length - 1 ? ',' : '';
    const piece = `${prefix}${formatValue(value)}${comma}`;
    if (2 + piece.length <= width) {
      if (packed !== '' && 2 + packed.length + 1 + piece.length > width) flush();
      packed = packed === '' ? piece : `${packed} ${piece}`;
      return;
    }
    flush();
    const inner = formatValueLines(value, width - 2, prefix.length);
    inner.forEach((line, j) => lines.push(`  ${j === 0 ? prefix : ''}${line}${j === inner.length - 1 ? comma : ''}`));
  });
  flush();
  lines.push(open === '[' ? ']' : '}');
  return lines;
}
