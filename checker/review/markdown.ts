/**
 * review.md: Markdown that renders on GitHub. Per spec: title, question, bounds, the matrix of
 * designs by properties (cells that differ from the expectation marked ✗), then each
 * counterexample and witness as a Mermaid diagram plus its race diagram or text. The only line
 * that changes between two runs of the same specs is the run-time line.
 */
import type { ReviewData, ReviewRun, SpecReview } from './data.ts';
import { summaryText } from './matrix.ts';

const count = (n: number) => n.toLocaleString('en-US');

/** A table cell: pipes escaped, no line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A fenced block whose fence is longer than any run of backticks inside. */
function fenced(info: string, body: string): string {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${body}\n${fence}`;
}

/** A bound's value: a list joined, a nested record (`ops: { fault: 2 }`) as `fault 2, convert 1`. */
function boundValue(v: unknown): string {
  if (Array.isArray(v)) return v.map(boundValue).join(', ');
  if (typeof v === 'object' && v !== null) return Object.entries(v).map(([k, x]) => `${k} ${boundValue(x)}`).join(', ');
  return String(v);
}

export function boundsText(bounds: SpecReview['bounds']): string {
  const entries = Object.entries(bounds);
  if (entries.length === 0) return 'none';
  return entries.map(([k, v]) => `${k} = ${boundValue(v)}`).join('; ');
}

/** A GitHub heading anchor, for the links from the matrix to each trace. */
function anchor(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').trim().replace(/\s/g, '-');
}

function traceHeading(spec: SpecReview, run: ReviewRun, property: string): string {
  return `${spec.id} / ${run.design}: ${property}`;
}

function matrix(spec: SpecReview): string[] {
  const lines = [
    `| design | ${spec.properties.map(cell).join(' | ')} | states | depth |`,
    `|---|${spec.properties.map(() => '---').join('|')}|---:|---:|`,
  ];
  for (const run of spec.runs) {
    const cells = run.cells.map((c) => {
      const hasTrace = run.traces.some((t) => t.property === c.property);
      const text = cell(c.text);
      return hasTrace ? `[${text}](#${anchor(traceHeading(spec, run, c.property))})` : text;
    });
    const states = `${count(run.distinctStates)}${run.complete ? '' : ' (incomplete)'}`;
    lines.push(`| ${cell(run.design)} | ${cells.join(' | ')} | ${states} | ${run.depth} |`);
  }
  return lines;
}

/** One row per spec: where to look first. */
function overview(review: ReviewData): string[] {
  const lines = ['| spec | question | designs | as expected | differ | inconclusive |', '|---|---|---:|---:|---:|---:|'];
  for (const spec of review.specs) {
    const cells = spec.runs.flatMap((r) => r.cells);
    const n = (v: string) => cells.filter((c) => c.verdict === v).length;
    const differ = n('differs');
    lines.push(`| [${cell(spec.title)}](#${anchor(spec.title)}) | ${cell(spec.question)} | ${spec.runs.length} | ${n('as expected')} | ${differ ? `✗ ${differ}` : 0} | ${n('inconclusive')} |`);
  }
  return lines;
}

function specSection(spec: SpecReview): string[] {
  const lines = [`## ${spec.title}`, '', `> ${spec.question}`, '', `Spec \`${spec.id}\` (\`${spec.file}\`). Bounds: ${boundsText(spec.bounds)}.`, ''];
  lines.push(...matrix(spec), '');
  const idle = spec.runs.filter((r) => r.neverFired.length > 0);
  if (idle.length) {
    lines.push(`Actions never fired (part of the model these bounds do not reach): ${idle.map((r) => `${r.design}: ${r.neverFired.join(', ')}`).join('; ')}.`, '');
  }
  for (const run of spec.runs) {
    for (const trace of run.traces) {
      const steps = `${trace.steps} step${trace.steps === 1 ? '' : 's'}`;
      const what = trace.status === 'violated' ? `counterexample, ${steps}` : `witness, ${steps}`;
      lines.push(`### ${traceHeading(spec, run, trace.property)}`, '', `${trace.status} (${what}, shortest); saved as [${trace.file}](${trace.file}) for \`gmemcheck replay\`.`, '');
      const diagrams = [fenced('mermaid', trace.mermaid), '', fenced('', trace.diagram), ''];
      // A witness only shows the scenario is reachable: folded, so the counterexamples stand out.
      if (trace.status === 'satisfied') lines.push('<details><summary>the witness</summary>', '', ...diagrams, '</details>', '');
      else lines.push(...diagrams);
    }
  }
  return lines;
}

export function renderReviewMarkdown(review: ReviewData): string {
  const lines = [
    '# gmemcheck review',
    '',
    `${summaryText(review.summary)}`,
    '',
    `Run time: ${(review.elapsedMs / 1000).toFixed(1)} s (gmemcheck ${review.version}).`,
    '',
    'Each cell is the outcome of one design on one property: `holds`, `violated (N steps)`, `satisfied` (a witness exists) or `unsatisfied`. ' +
      'A cell marked ✗ differs from the spec\'s expectation; one marked ? comes from a run stopped by a limit.',
    '',
    ...overview(review),
    '',
  ];
  for (const spec of review.specs) lines.push(...specSection(spec));
  return `${lines.join('\n').trimEnd()}\n`;
}
