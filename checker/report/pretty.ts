/**
 * JSON for a person as well as a parser: indented, but any array or object whose one-line form
 * fits in the width stays on one line, so that a state reads `"pc": [0, 1, 2]`, not one number
 * per line. `JSON.parse` of the output equals `JSON.parse(JSON.stringify(value))`.
 */
const WIDTH = 100;

export function prettyJson(value: unknown): string {
  return layout(value, '', 0) + '\n';
}

function layout(v: unknown, indent: string, taken: number): string {
  const flat = oneLine(v);
  if (flat === undefined) return 'null';
  if (typeof v !== 'object' || v === null || indent.length + taken + flat.length <= WIDTH) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => `${inner}${layout(x, inner, 0)}`).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries
    .map(([k, x]) => {
      const key = `${JSON.stringify(k)}: `;
      return `${inner}${key}${layout(x, inner, key.length)}`;
    })
    .join(',\n')}\n${indent}}`;
}

/** JSON.stringify with a space after `:` and `,`, the way a person writes it on one line. */
function oneLine(v: unknown): string | undefined {
  if (Array.isArray(v)) return `[${v.map((x) => oneLine(x) ?? 'null').join(', ')}]`;
  if (typeof v === 'object' && v !== null) {
    const parts = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => `${JSON.stringify(k)}: ${oneLine(x)}`);
    return `{${parts.join(', ')}}`;
  }
  return JSON.stringify(v);
}
