/** Breaking report text into lines of a given width, where a reader expects the breaks. */

/**
 * `text` in lines of at most `width` characters: between clauses (`write_lock(mmu_lock); map`
 * breaks after the `;`) where a whole clause fits on a line, else between words, keeping
 * together what reads as one (see `units`) where it fits, else word by word; a word wider than
 * the line is cut.
 */
export function wrapText(text: string, width: number): string[] {
  if (width <= 0 || text.length <= width) return [text];
  const lines: string[] = [];
  let line = '';
  const join = (a: string, b: string) => (a === '' ? b : `${a} ${b}`);
  for (const clause of text.split(/(?<=;) +/)) {
    if (join(line, clause).length <= width) {
      line = join(line, clause);
      continue;
    }
    if (clause.length <= width) {
      lines.push(line);
      line = clause;
      continue;
    }
    for (let word of units(clause).flatMap((u) => (u.length > width ? u.split(/ +/) : [u]))) {
      if (join(line, word).length <= width) {
        line = join(line, word);
        continue;
      }
      if (line !== '') lines.push(line);
      while (word.length > width) {
        lines.push(word.slice(0, width));
        word = word.slice(width);
      }
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** Binary operators: kept with both their operands (`mmu_seq = mmu_invalidate_seq`). */
const OPERATORS = new Set(['=', '==', '!=', '->', '+', '|']);

/** A number, perhaps with its punctuation: kept with the word before it (`pfn 0x10`, `ASID 1`). */
const NUMBER = /^(0x[0-9a-f]+|\d+)[,.;:)]*$/i;

/**
 * The words of `text`, each glued to its neighbours where a break would split one thing: an
 * operator and its operands, a bracketed group (`[0x0, 0x1)`, `(private)`), a number and the
 * word that names it.
 */
export function units(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let glue = false;
  for (const word of text.split(/ +/)) {
    const joins = out.length > 0 && (glue || depth > 0 || OPERATORS.has(word) || NUMBER.test(word));
    if (joins) out[out.length - 1] += ` ${word}`;
    else out.push(word);
    for (const ch of word) {
      if (ch === '[' || ch === '(') depth++;
      else if ((ch === ']' || ch === ')') && depth > 0) depth--;
    }
    glue = OPERATORS.has(word);
  }
  return out;
}

/**
 * `pieces` joined by spaces in lines of at most `width`, each line after the first indented by
 * `indent`; a piece is never broken (a line holds one piece at least).
 */
export function wrapPieces(pieces: readonly string[], width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const piece of pieces) {
    if (line !== '' && `${line} ${piece}`.length > width) {
      lines.push(line);
      line = `${indent}${piece}`;
    } else {
      line = line === '' ? piece : `${line} ${piece}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
