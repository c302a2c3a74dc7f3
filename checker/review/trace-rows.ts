/**
 * A trace's step-by-step text and race diagram cut into their steps, so that the web page can
 * step through a counterexample: mark the race diagram's row of the current step, and show the
 * facts that step changed. The cuts follow the layouts of report/text.ts and report/race.ts;
 * joined back, the pieces are the text exactly (the page shows what review.md shows). A text
 * that does not have the expected layout yields null, and the page shows it uncut.
 */

/** One step of the step-by-step text: its heading and the fact lines under (or beside) it. */
export interface TextStep {
  readonly step: number;
  /** The step's number and label (`  3  CPU0 vm0 vCPU fault ...`), padded as in the text. */
  readonly head: string;
  /** What the step changed (the whole state at step 0), one line each, indented as in the text. */
  readonly facts: readonly string[];
  /** True when the first fact sits on the heading's line (the text's table layout). */
  readonly inline: boolean;
}

export interface TextSteps {
  /** The headline, the summary and the blank line before step 0. */
  readonly preamble: readonly string[];
  readonly steps: readonly TextStep[];
  /** What follows the last step: the verdict, `loops back to step N`. */
  readonly verdict: readonly string[];
}

const indentOf = (line: string) => line.length - line.trimStart().length;

/**
 * The text of a trace of `steps` steps cut at each step's heading (` 0  initial`, ` 1  ...`,
 * numbers right-aligned in a gutter as wide as the last one). A fact line is indented past the
 * gutter; a verdict line stands at the gutter's edge.
 */
export function textSteps(text: string, steps: number): TextSteps | null {
  const lines = text.split('\n');
  const gutter = String(steps).length;
  const edge = 1 + gutter + 2;
  const headOf = (k: number) => ` ${String(k).padStart(gutter)}  `;
  const first = lines.findIndex((l) => l.startsWith(headOf(0)) && l[edge] !== ' ');
  if (first < 0) return null;
  const heads: number[] = [];
  const facts: string[][] = [];
  let verdictAt = lines.length;
  for (let i = first; i < lines.length; i++) {
    const line = lines[i];
    const next = heads.length;
    if (next <= steps && line.startsWith(headOf(next)) && line.length > edge && line[edge] !== ' ') {
      heads.push(i);
      facts.push([]);
    } else if (indentOf(line) > edge && line.trim() !== '') {
      facts[facts.length - 1].push(line);
    } else {
      verdictAt = i;
      break;
    }
  }
  if (heads.length !== steps + 1) return null;
  // The table layout puts each step's first fact beside its heading, at the column where the
  // fact lines below start; the list layout puts the facts under a heading alone on its line.
  const column = factColumn(heads.map((h) => lines[h]), facts.flat(), edge);
  const table = column !== null;
  return {
    preamble: lines.slice(0, first),
    steps: heads.map((h, k) => {
      const line = lines[h];
      return table && line.length > column
        ? { step: k, head: line.slice(0, column), facts: [line.slice(column), ...facts[k]], inline: true }
        : { step: k, head: line, facts: facts[k], inline: false };
    }),
    verdict: lines.slice(verdictAt),
  };
}

/**
 * Where the facts start in the table layout, or null for the list layout. In the table layout
 * every heading has two spaces right before that column and a fact at it; in the list layout
 * the facts are indented two past the gutter, where every label has its first letters.
 */
function factColumn(heads: readonly string[], factLines: readonly string[], edge: number): number | null {
  const fits = (c: number) => heads.every((h) => h.length > c && h[c - 1] === ' ' && h[c - 2] === ' ' && h[c] !== ' ');
  if (factLines.length > 0) {
    const column = Math.min(...factLines.map(indentOf));
    return column > edge && fits(column) ? column : null;
  }
  // One fact per step, all beside their headings: the first column that fits every heading.
  const widest = Math.max(...heads.map((h) => h.length));
  for (let c = edge + 3; c < widest; c++) if (fits(c)) return c;
  return null;
}

/** One row of the race diagram: the lines of one step's cell (wrapped, or with the verdict). */
export interface RaceRow {
  readonly step: number;
  readonly lines: readonly string[];
}

export interface RaceRows {
  /** The headline, the summary, the column headings and the rule under them. */
  readonly head: readonly string[];
  readonly rows: readonly RaceRow[];
}

/**
 * The race diagram of a trace of `steps` steps cut into rows: after the rule under the column
 * headings (`     ----    ----`), each line whose gutter holds a number starts that step's row;
 * the lines without one (a wrapped cell, the verdict) go with the row above, except the line
 * that names the operation a thread starts (`guest_memfd convert [0x0, 0x1) -> private:`, in
 * the column of the step right below it), which goes with that step.
 * Every step has its row, in order (a trace whose initial state breaks the property has row 0).
 */
export function raceRows(diagram: string, steps: number): RaceRows | null {
  const lines = diagram.split('\n');
  const rule = lines.findIndex((l) => /^ +-+( +-+)*$/.test(l));
  if (rule < 0) return null;
  const gutter = indentOf(lines[rule]);
  const rows: { step: number; lines: string[] }[] = [];
  for (const line of lines.slice(rule + 1)) {
    const number = /^ *(\d+)$/.exec(line.slice(0, gutter - 2));
    if (number && line.slice(gutter - 2, gutter).trim() === '') {
      const above = rows.at(-1)?.lines;
      const operation = above && above.length > 1 && above.at(-1)!.endsWith(':') && indentOf(above.at(-1)!) === indentOf(line.slice(gutter)) + gutter;
      rows.push({ step: Number(number[1]), lines: operation ? [above.pop()!, line] : [line] });
    } else if (rows.length > 0) rows[rows.length - 1].lines.push(line);
    else return null;
  }
  const expected = steps === 0 ? [0] : Array.from({ length: steps }, (_, i) => i + 1);
  if (rows.length !== expected.length || rows.some((r, i) => r.step !== expected[i])) return null;
  return { head: lines.slice(0, rule + 1), rows };
}
