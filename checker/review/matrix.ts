/** The review matrix as plain text, for the terminal: one table per spec, then the summary. */
import type { ReviewData, ReviewSummary, SpecReview } from './data.ts';
import { countOf } from '../counts.ts';

export function summaryText(s: ReviewSummary): string {
  const parts = [`${s.asExpected} as expected`, `${s.differs} differ${s.differs === 1 ? 's' : ''} from the expectation`];
  if (s.inconclusive) parts.push(`${s.inconclusive} inconclusive (stopped by a limit)`);
  return `${countOf(s.specs, 'spec')}, ${countOf(s.runs, 'design run')}, ${countOf(s.cells, 'cell')}: ${parts.join(', ')}.`;
}

/** Rows of cells as an aligned table with a rule under the header. */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: readonly string[]) => r.map((c, i) => c.padEnd(widths[i])).join(' | ').trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('-+-'), ...rows.slice(1).map(line)];
}

/** Wider than this, a matrix with more properties than designs is printed turned: one row a property. */
const WIDTH = 120;

export function specMatrix(spec: SpecReview): string[] {
  const rows = [['design', ...spec.properties], ...spec.runs.map((r) => [r.design, ...r.cells.map((c) => c.text)])];
  let lines = table(rows);
  if (lines[0].length > WIDTH && spec.properties.length > spec.runs.length) {
    const turned = rows[0].map((_, i) => rows.map((row) => row[i]));
    turned[0][0] = 'property';
    lines = table(turned);
  }
  return [`${spec.id}: ${spec.title}`, `  ${spec.question}`, ...lines.map((l) => `  ${l}`)];
}

export function renderMatrix(review: ReviewData): string {
  const blocks = review.specs.map((s) => specMatrix(s).join('\n'));
  return `${blocks.join('\n\n')}\n\n${summaryText(review.summary)}\n`;
}
