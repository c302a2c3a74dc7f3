/**
 * review.md: Markdown that renders on GitHub. Per spec: title, question, bounds, the matrix of
 * designs by properties (cells that differ from the expectation marked ✗), the properties' why
 * and where when the model documents them, then each counterexample and witness as a Mermaid
 * diagram plus its race diagram or text. The only line that changes between two runs of the
 * same specs is the run-time line.
 */
import type { ReviewData, SpecReview } from './data.ts';
import { comparisonAnchor, comparisonHeading, comparisonSides, comparisonSizes, comparisonsIntro, comparisonsTitle, sideCount, type ReviewComparisons } from './comparisons.ts';
import { ownKeysLine, setBodyLines, setTitle } from '../diff/render.ts';
import { summaryText } from './matrix.ts';
import {
  anchor, boundsText, breakText, cellTraceAnchor, designsIntro, designSummaries, designsTitle, legendText, neverFiredText, propertiesIntro, propertiesTitle, propertyColumns, propertyRows, runTimeText, statesText,
  traceHeading, traceOutcomeText, verdictCounts,
} from './wording.ts';

// run.ts prints a spec's bounds the way the review does.
export { boundsText } from './wording.ts';

/** A table cell: pipes escaped, no line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A table cell of free text from the model: also a `<` that GitHub would take for an HTML tag. */
function prose(text: string): string {
  return cell(text).replace(/</g, '\\<');
}

/** A fenced block whose fence is longer than any run of backticks inside. */
function fenced(info: string, body: string): string {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${body}\n${fence}`;
}


function matrix(spec: SpecReview): string[] {
  const lines = [
    `| design | ${spec.properties.map(cell).join(' | ')} | states | depth |`,
    `|---|${spec.properties.map(() => '---').join('|')}|---:|---:|`,
  ];
  for (const run of spec.runs) {
    const cells = run.cells.map((c) => {
      const target = cellTraceAnchor(spec, run, c);
      return target ? `[${cell(c.text)}](#${target})` : cell(c.text);
    });
    lines.push(`| ${cell(run.design)} | ${cells.join(' | ')} | ${statesText(run)} | ${run.depth} |`);
  }
  return lines;
}

/** Under the matrix, what each property guards and the code that enforces it; nothing when undocumented. */
function propertyTable(spec: SpecReview): string[] {
  const rows = propertyRows(spec);
  if (rows.length === 0) return [];
  return [
    `**${propertiesTitle}**: ${propertiesIntro}`,
    '',
    `| ${propertyColumns.join(' | ')} |`,
    '|---|---|---|',
    ...rows.map(([name, why, where]) => `| \`${cell(name)}\` | ${prose(why)} | ${prose(where)} |`),
    '',
  ];
}

/** One row per spec: where to look first. */
function overview(review: ReviewData): string[] {
  const lines = ['| spec | question | designs | as expected | differ | inconclusive |', '|---|---|---:|---:|---:|---:|'];
  for (const spec of review.specs) {
    const n = verdictCounts(spec);
    lines.push(`| [${cell(spec.title)}](#${anchor(spec.title)}) | ${cell(spec.question)} | ${spec.runs.length} | ${n['as expected']} | ${n.differs ? `✗ ${n.differs}` : 0} | ${n.inconclusive} |`);
  }
  return lines;
}

/** One row per design: what it breaks where, and how many properties it keeps. */
function designs(review: ReviewData): string[] {
  const rows = designSummaries(review.specs).map((d) => {
    const breaks = d.breaks.map((b) => (b.anchor ? `[${cell(breakText(b))}](#${b.anchor})` : cell(breakText(b))));
    return `| ${cell(d.design)} | ${d.specs} | ${breaks.length ? breaks.join('; ') : 'nothing'} | ${d.keeps} |`;
  });
  return [`## ${designsTitle}`, '', designsIntro, '', '| design | specs | breaks | keeps |', '|---|---:|---|---:|', ...rows, ''];
}

function specSection(spec: SpecReview): string[] {
  const lines = [`## ${spec.title}`, '', `> ${spec.question}`, '', `Spec \`${spec.id}\` (\`${spec.file}\`). Bounds: ${boundsText(spec.bounds)}.`, ''];
  lines.push(...matrix(spec), '', ...propertyTable(spec));
  const idle = neverFiredText(spec);
  if (idle) lines.push(idle, '');
  for (const run of spec.runs) {
    for (const trace of run.traces) {
      lines.push(`### ${traceHeading(spec, run, trace.property)}`, '', `${traceOutcomeText(trace)}; saved as [${trace.file}](${trace.file}) for \`gmemcheck replay\`.`, '');
      const diagrams = [fenced('mermaid', trace.mermaid), '', fenced('', trace.diagram), ''];
      // A witness only shows the scenario is reachable: folded, so the counterexamples stand out.
      if (trace.status === 'satisfied') lines.push('<details><summary>the witness</summary>', '', ...diagrams, '</details>', '');
      else lines.push(...diagrams);
    }
  }
  return lines;
}

/** The "compared with" section: a table of every comparison, then each one's first new fact set and trace per side. */
function comparisonsSection({ with: named, designs }: ReviewComparisons): string[] {
  const lines = [`## ${comparisonsTitle(named)}`, '', comparisonsIntro(named), '',
    '| spec | design | compared with | newly allows | no longer allows |', '|---|---|---|---|---|'];
  for (const c of designs) {
    lines.push(`| ${cell(c.spec)} | [${cell(c.to)}](#${comparisonAnchor(c, named)}) | ${cell(c.from)} | ${sideCount(c.newInTo)} | ${sideCount(c.newInFrom)} |`);
  }
  lines.push('');
  for (const c of designs) {
    lines.push(`### ${comparisonHeading(c, named)}`, '', comparisonSizes(c), '');
    for (const own of [ownKeysLine(c.from, c.onlyFrom), ownKeysLine(c.to, c.onlyTo)]) if (own) lines.push(`${cell(own)}.`, '');
    for (const { sentence, first, other } of comparisonSides(c)) {
      if (!first) {
        lines.push(`${sentence}.`, '');
        continue;
      }
      lines.push(`${sentence}; the first, ${setTitle(first, other)}:`, '', fenced('', setBodyLines(first, '').join('\n')), '');
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
    runTimeText(review.elapsedMs, review.version),
    '',
    legendText((outcome) => `\`${outcome}\``),
    '',
    ...overview(review),
    '',
    ...designs(review),
  ];
  // A review whose specs have one design each has nothing compared: no section.
  const compared = review.comparisons?.designs.length ? review.comparisons : undefined;
  if (compared) {
    const title = comparisonsTitle(compared.with);
    lines.push(`Each design compared with ${compared.with} by what it reaches: [${title}](#${anchor(title)}), after the specs.`, '');
  }
  for (const spec of review.specs) lines.push(...specSection(spec));
  if (compared) lines.push(...comparisonsSection(compared));
  return `${lines.join('\n').trimEnd()}\n`;
}
