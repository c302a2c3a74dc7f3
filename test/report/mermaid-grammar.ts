/**
 * A grammar check of the Mermaid sequenceDiagram subset the reports write, after Mermaid's
 * own lexer (packages/mermaid/src/diagrams/sequence/parser/sequenceDiagram.jison): the
 * Mermaid parser needs a DOM, so it cannot run here.
 *
 * What the jison says, and this checks:
 * - the diagram starts with `sequenceDiagram`;
 * - entity codes (`#59;`, `#lt;`) are replaced before lexing (mermaidAPI's encodeEntities), so
 *   a remaining `#` starts a comment and a remaining `;` ends a statement: text may hold neither;
 * - `title <text>`, `autonumber`, `participant <id> [as <alias>]`, `rect <color>` ... `end`;
 * - a message is `<id><arrow><id>: <text>` with a non-empty text; a note is
 *   `note (left of|right of) <id>: <text>` or `note over <id>[,<id>]: <text>` (case-insensitive);
 * - and, for GitHub's HTML sanitiser, no `<`/`>` in text but the `<br/>` line breaks.
 * Stricter than Mermaid where it costs nothing: ids are word characters and declared first.
 */
const ID = '([A-Za-z_]\\w*)';
const TEXT = '([^#;]+)';
const ARROW = '(->>|-->>|->|-->|-x|--x|-\\)|--\\))';

const rules: { name: string; re: RegExp }[] = [
  { name: 'title', re: new RegExp(`^title\\s${TEXT}$`) },
  { name: 'autonumber', re: /^autonumber$/ },
  { name: 'participant', re: new RegExp(`^participant ${ID}(?: as ([^#;]*))?$`) },
  { name: 'rect', re: /^rect [^#;]*$/ },
  { name: 'end', re: /^end$/ },
  { name: 'note', re: new RegExp(`^note (?:left of|right of) ${ID}\\s*:${TEXT}$`, 'i') },
  { name: 'noteOver', re: new RegExp(`^note over ${ID}(?:,\\s*${ID})?\\s*:${TEXT}$`, 'i') },
  { name: 'message', re: new RegExp(`^${ID}\\s*${ARROW}[+-]?\\s*${ID}\\s*:${TEXT}$`) },
];

/** The problems found, one line each (empty: the diagram passes). */
export function mermaidSequenceErrors(source: string): string[] {
  const errors: string[] = [];
  const lines = source.replace(/#\w+;/g, 'E').split('\n');
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0 || lines[first].trim() !== 'sequenceDiagram') errors.push('the first line must be sequenceDiagram');
  const declared = new Set<string>();
  let depth = 0;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (i <= first || line === '' || line.startsWith('%%')) return;
    const hit = rules.map((r) => ({ name: r.name, m: r.re.exec(line) })).find((r) => r.m !== null);
    if (!hit || !hit.m) {
      errors.push(`line ${i + 1}: not a sequenceDiagram statement: ${line}`);
      return;
    }
    const m = hit.m;
    const need = (ids: (string | undefined)[]) => {
      for (const id of ids)
        if (id !== undefined && !declared.has(id)) errors.push(`line ${i + 1}: ${id} is not a declared participant`);
    };
    const text = (t: string | undefined) => {
      if (t === undefined || t.trim() === '') errors.push(`line ${i + 1}: empty text`);
      else if (/[<>]/.test(t.replace(/<br\/>/g, ''))) errors.push(`line ${i + 1}: raw < or > in text (HTML)`);
    };
    switch (hit.name) {
      case 'participant':
        if (declared.has(m[1])) errors.push(`line ${i + 1}: participant ${m[1]} declared twice`);
        declared.add(m[1]);
        break;
      case 'rect':
        depth++;
        break;
      case 'end':
        if (--depth < 0) errors.push(`line ${i + 1}: end without a block`);
        break;
      case 'note':
        need([m[1]]);
        text(m[2]);
        break;
      case 'noteOver':
        need([m[1], m[2]]);
        text(m[3]);
        break;
      case 'message':
        need([m[1], m[3]]);
        text(m[4]);
        break;
      case 'title':
        text(m[1]);
        break;
    }
  });
  if (depth > 0) errors.push(`${depth} block(s) not closed by end`);
  return errors;
}
