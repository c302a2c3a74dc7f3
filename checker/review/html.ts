/**
 * review.html: the review as one web page that opens from disk, with no server and no network.
 * The same data and the same words as review.md (wording.ts), laid out for a browser: per spec,
 * the matrix as a table whose cells are colored by outcome, the properties' why and where (when
 * the model documents them), then each counterexample and witness with a stepper, its race
 * diagram, its step-by-step text, its Mermaid diagram and the command line that replays it.
 * Filters above the matrices narrow the page to a design, a property, an outcome. After the
 * specs, each design compared with the baseline of its spec (comparisons.ts), when the review did.
 * The style sheet, the Mermaid library (inlined: the diagrams draw with no network) and the
 * page's script (html-script.ts) are all in the page; without the script, every diagram still
 * reads as text in a `<pre>`.
 * Every string from the data is escaped (property names and actions hold `<`, `>`, `&`, `->`).
 */
import type { Cell } from './cells.ts';
import { comparisonAnchor, comparisonHeading, comparisonSides, comparisonSizes, comparisonsIntro, comparisonsTitle, sideCount, type ReviewComparisons } from './comparisons.ts';
import { ownKeysLine, setBodyLines, setTitle } from '../diff/render.ts';
import type { ReviewData, ReviewRun, ReviewTrace, SpecReview } from './data.ts';
import { reviewScript } from './html-script.ts';
import { reviewStyle } from './html-style.ts';
import { summaryText } from './matrix.ts';
import { mermaidBundle } from './mermaid-bundle.ts';
import { raceRows, textSteps, type TextSteps } from './trace-rows.ts';
import {
  breakText, designsIntro, designSummaries, designsTitle,
  anchor, boundsText, cellTraceAnchor, legendText, neverFiredText, propertiesIntro, propertiesTitle, propertyColumns, propertyRows, runTimeText, statesText,
  traceHeading, traceOutcomeText, verdictCounts,
} from './wording.ts';

export interface HtmlOptions {
  /**
   * The directory the review is written to, as the user named it (`--out`), so that the replay
   * command line shown under each trace runs from where `review` ran.
   */
  readonly outDir: string;
}

/** Text and attribute values alike: the five characters HTML gives a meaning. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);
}

const e = escapeHtml;

/** A word for a shell: quoted when it holds anything but letters, digits and `_./:=@+-`. */
function shellWord(word: string): string {
  return /^[\w./:=@+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `gmemcheck replay review/traces/x.json`, with `--specs` when the spec lives outside specs/. */
export function replayCommand(spec: SpecReview, trace: ReviewTrace, { outDir }: HtmlOptions): string {
  const file = `${outDir.replace(/\/+$/, '') || '.'}/${trace.file}`;
  const slash = spec.file.lastIndexOf('/');
  const specsDir = slash < 0 ? '.' : spec.file.slice(0, slash) || '/';
  return ['gmemcheck', 'replay', file, ...(specsDir === 'specs' ? [] : ['--specs', specsDir])].map(shellWord).join(' ');
}

/** The cell's class: its outcome (or `inconclusive`), and `differs` when it misses the expectation. */
function cellClass(cell: Cell): string {
  const outcome = cell.verdict === 'inconclusive' ? 'inconclusive' : cell.status;
  return cell.verdict === 'differs' ? `${outcome} differs` : outcome;
}

/** What the filters read: the design, the property and the outcome (with `differs`) of a cell or a trace. */
function filterData(design: string, property: string, outcome: string): string {
  return `data-design="${e(design)}" data-property="${e(property)}" data-outcome="${e(outcome)}"`;
}

function matrixCell(spec: SpecReview, run: ReviewRun, cell: Cell): string {
  const target = cellTraceAnchor(spec, run, cell);
  const text = target ? `<a href="#${e(target)}">${e(cell.text)}</a>` : e(cell.text);
  const title = cell.verdict === 'differs' ? ` title="${e(`expected ${cell.expected}`)}"` : '';
  return `<td class="${cellClass(cell)}"${title} ${filterData(run.design, cell.property, cellClass(cell))}>${text}</td>`;
}

function matrix(spec: SpecReview): string[] {
  const head = ['<th scope="col">design</th>', ...spec.properties.map((p) => `<th scope="col" data-property="${e(p)}">${e(p)}</th>`), '<th scope="col" class="num">states</th>', '<th scope="col" class="num">depth</th>'];
  const rows = spec.runs.map((run) =>
    `<tr data-design="${e(run.design)}"><th scope="row">${e(run.design)}</th>${run.cells.map((c) => matrixCell(spec, run, c)).join('')}` +
    `<td class="num">${e(statesText(run))}</td><td class="num">${run.depth}</td></tr>`);
  return ['<div class="scroll"><table class="matrix">', `<thead><tr>${head.join('')}</tr></thead>`, '<tbody>', ...rows, '</tbody></table></div>'];
}

/** Under the matrix, what each property guards and the code that enforces it; nothing when undocumented. */
function propertyTable(spec: SpecReview): string[] {
  const rows = propertyRows(spec);
  if (rows.length === 0) return [];
  return [
    `<p><strong>${e(propertiesTitle)}</strong>: ${e(propertiesIntro)}</p>`,
    '<div class="scroll"><table class="properties">',
    `<thead><tr>${propertyColumns.map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead>`,
    '<tbody>',
    ...rows.map(([name, why, where]) => `<tr><th scope="row"><code>${e(name)}</code></th><td>${e(why)}</td><td>${e(where)}</td></tr>`),
    '</tbody></table></div>',
  ];
}

function overview(review: ReviewData): string[] {
  const rows = review.specs.map((spec) => {
    const n = verdictCounts(spec);
    const differ = n.differs ? `<td class="num differs">✗ ${n.differs}</td>` : '<td class="num">0</td>';
    return `<tr><td><a href="#${e(anchor(spec.title))}">${e(spec.title)}</a></td><td>${e(spec.question)}</td>` +
      `<td class="num">${spec.runs.length}</td><td class="num">${n['as expected']}</td>${differ}<td class="num">${n.inconclusive}</td></tr>`;
  });
  const head = ['spec', 'question', 'designs', 'as expected', 'differ', 'inconclusive']
    .map((h, i) => `<th scope="col"${i > 1 ? ' class="num"' : ''}>${h}</th>`).join('');
  return ['<div class="scroll"><table class="overview">', `<thead><tr>${head}</tr></thead>`, '<tbody>', ...rows, '</tbody></table></div>'];
}

/** One row per design: what it breaks where (linked to the trace), and how many properties it keeps. */
function designs(review: ReviewData): string[] {
  const rows = designSummaries(review.specs).map((d) => {
    const breaks = d.breaks.map((b) => (b.anchor ? `<a href="#${e(b.anchor)}">${e(breakText(b))}</a>` : e(breakText(b))));
    return `<tr data-design="${e(d.design)}"><th scope="row">${e(d.design)}</th><td class="num">${d.specs}</td>` +
      `<td class="${breaks.length ? 'violated' : 'holds'}">${breaks.length ? breaks.join('<br>') : 'nothing'}</td><td class="num">${d.keeps}</td></tr>`;
  });
  const head = ['design', 'specs', 'breaks', 'keeps'].map((h, i) => `<th scope="col"${i % 2 ? ' class="num"' : ''}>${h}</th>`).join('');
  return [`<h2 id="${e(anchor(designsTitle))}">${e(designsTitle)}</h2>`, `<p>${e(designsIntro)}</p>`,
    '<div class="scroll"><table class="designs">', `<thead><tr>${head}</tr></thead>`, '<tbody>', ...rows, '</tbody></table></div>'];
}

/** The legend, each outcome in the color of its cells. */
function legend(): string {
  const mark = '\u0001';
  const parts = e(legendText((outcome) => `${mark}${outcome}${mark}`)).split(mark);
  return `<p>${parts.map((p, i) => (i % 2 ? `<code class="${p.split(' ')[0]}">${p}</code>` : p)).join('')}</p>`;
}

/** Each line of a `<pre>`'s text, escaped, the lines joined back as they were. */
const lines = (text: readonly string[]) => text.map((l) => `${e(l)}\n`).join('');

/** The race diagram, each step's row in a block the stepper marks; uncut when its layout is not the expected one. */
function raceDiagram(trace: ReviewTrace): string {
  const cut = raceRows(trace.diagram, trace.steps);
  if (!cut) return `<pre class="race">${e(trace.diagram)}</pre>`;
  const rows = cut.rows.map((r) => `<span class="row" data-step="${r.step}">${lines(r.lines)}</span>`);
  // The diagram's last line ends without a line break, as in the text.
  return `<pre class="race">${lines(cut.head)}${rows.join('').replace(/\n<\/span>$/, '</span>')}</pre>`;
}

/** The step-by-step text, each step in a block (its heading, then each fact it changed); uncut when its layout is not the expected one. */
function stepText(trace: ReviewTrace, cut: TextSteps | null): string {
  if (!cut) return `<pre class="text">${e(trace.text)}</pre>`;
  const steps = cut.steps.map((s) => {
    const facts = s.facts.map((f) => `<span class="fact">${e(f)}</span>\n`).join('');
    return `<span class="step" data-step="${s.step}"><span class="head">${e(s.head)}</span>${s.inline ? '' : '\n'}${facts}</span>`;
  });
  return `<pre class="text">${lines(cut.preamble)}${steps.join('')}${e(cut.verdict.join('\n'))}</pre>`;
}

/** Previous / next step over a trace of `steps` steps; the page's script fills in the step's label and facts. */
function stepper(trace: ReviewTrace, cut: TextSteps | null): string[] {
  if (!cut) return [];
  return [
    `<div class="stepper" data-last="${trace.steps}">`,
    '<button type="button" class="previous">◀ previous step</button>',
    `<span class="at">step 0 of ${trace.steps}</span>`,
    '<button type="button" class="next">next step ▶</button>',
    '<p class="now"><strong class="label"></strong></p>',
    '<ul class="facts"></ul>',
    '</div>',
  ];
}

function traceSection(spec: SpecReview, run: ReviewRun, trace: ReviewTrace, options: HtmlOptions): string[] {
  const heading = traceHeading(spec, run, trace.property);
  const cell = run.cells.find((c) => c.property === trace.property);
  const cut = textSteps(trace.text, trace.steps);
  const diagrams = trace.diagramFormat === 'race'
    ? [raceDiagram(trace), `<details><summary>step by step</summary>${stepText(trace, cut)}</details>`]
    : [stepText(trace, cut)];
  const body = [...stepper(trace, cut), ...diagrams, `<pre class="mermaid">${e(trace.mermaid)}</pre>`];
  return [
    `<section class="trace ${trace.status}" id="${e(anchor(heading))}" ${filterData(run.design, trace.property, cell ? cellClass(cell) : trace.status)}>`,
    `<h3>${e(heading)}</h3>`,
    `<p>Property <strong>${e(trace.property)}</strong>, design <strong>${e(run.design)}</strong>: ${e(traceOutcomeText(trace))}.</p>`,
    // Rendered by the page's script when the section comes near the screen (html-script.ts).
    '<template class="body"><div class="trace-body">',
    // A witness only shows the scenario is reachable: folded, so the counterexamples stand out.
    ...(trace.status === 'satisfied' ? ['<details class="witness"><summary>the witness</summary>', ...body, '</details>'] : body),
    '</div></template>',
    `<p class="replay">Saved as <a href="${e(trace.file)}">${e(trace.file)}</a>; <code>${e(replayCommand(spec, trace, options))}</code> replays it.</p>`,
    '</section>',
  ];
}

function specSection(spec: SpecReview, options: HtmlOptions): string[] {
  const idle = neverFiredText(spec);
  return [
    `<section class="spec" id="${e(anchor(spec.title))}">`,
    `<h2>${e(spec.title)}</h2>`,
    `<blockquote>${e(spec.question)}</blockquote>`,
    `<p>Spec <code>${e(spec.id)}</code> (<code>${e(spec.file)}</code>). Bounds: ${e(boundsText(spec.bounds))}.</p>`,
    ...matrix(spec),
    ...propertyTable(spec),
    ...(idle ? [`<p class="idle">${e(idle)}</p>`] : []),
    ...spec.runs.flatMap((run) => run.traces.flatMap((trace) => traceSection(spec, run, trace, options))),
    '</section>',
  ];
}

/**
 * The "compared with" section: a table of every comparison, each design linked to its own
 * section, which shows each side's first new fact set and its trace.
 */
function comparisonsSection({ with: named, designs }: ReviewComparisons): string[] {
  const title = comparisonsTitle(named);
  const head = ['spec', 'design', 'compared with', 'newly allows', 'no longer allows'].map((h) => `<th scope="col">${h}</th>`).join('');
  const rows = designs.map((c) => `<tr data-design="${e(c.to)}"><td>${e(c.spec)}</td><th scope="row"><a href="#${e(comparisonAnchor(c, named))}">${e(c.to)}</a></th>` +
    `<td>${e(c.from)}</td><td>${e(sideCount(c.newInTo))}</td><td>${e(sideCount(c.newInFrom))}</td></tr>`);
  const sections = designs.flatMap((c) => {
    const own = [ownKeysLine(c.from, c.onlyFrom), ownKeysLine(c.to, c.onlyTo)].filter((line) => line !== undefined);
    const sides = comparisonSides(c).flatMap(({ sentence, first, other }) => (first
      ? [`<p>${e(`${sentence}; the first, ${setTitle(first, other)}:`)}</p>`, `<pre class="fact-set">${e(setBodyLines(first, '').join('\n'))}</pre>`]
      : [`<p>${e(sentence)}.</p>`]));
    return [
      `<section class="comparison" id="${e(comparisonAnchor(c, named))}" data-design="${e(c.to)}">`,
      `<h3>${e(comparisonHeading(c, named))}</h3>`,
      `<p>${e(comparisonSizes(c))}</p>`,
      ...own.map((line) => `<p class="own">${e(line)}.</p>`),
      // A few lines each and one per design: rendered with the page, unlike the traces.
      '<div class="comparison-body">', ...sides, '</div>',
      '</section>',
    ];
  });
  return [
    `<section class="comparisons" id="${e(anchor(title))}">`, `<h2>${e(title)}</h2>`, `<p>${e(comparisonsIntro(named))}</p>`,
    '<div class="scroll"><table class="comparisons">', `<thead><tr>${head}</tr></thead>`, '<tbody>', ...rows, '</tbody></table></div>',
    ...sections, '</section>',
  ];
}

/** The link from the top of the page to the "compared with" section. */
function comparisonsLink({ with: named }: ReviewComparisons): string {
  const title = comparisonsTitle(named);
  return `<p>Each design compared with ${e(named)} by what it reaches: <a href="#${e(anchor(title))}">${e(title)}</a>, after the specs.</p>`;
}

/** The filters: every design and every property of the review, and each outcome a cell can have. */
function filters(review: ReviewData): string[] {
  const designs = [...new Set(review.specs.flatMap((spec) => spec.runs.map((r) => r.design)))];
  const properties = [...new Set(review.specs.flatMap((spec) => spec.properties))];
  const outcomes = ['violated', 'holds', 'satisfied', 'unsatisfied', 'inconclusive', 'differs'];
  const select = (name: string, values: readonly string[]) =>
    `<label>${name} <select name="${name}"><option value="">all</option>${values.map((v) => `<option>${e(v)}</option>`).join('')}</select></label>`;
  return [
    '<form class="filters">',
    select('design', designs), select('property', properties), select('outcome', outcomes),
    '<button type="button" class="all">show all</button>',
    '<span class="shown"></span>',
    '</form>',
  ];
}

export function renderReviewHtml(review: ReviewData, options: HtmlOptions): string {
  // A review whose specs have one design each has nothing compared: no section.
  const compared = review.comparisons?.designs.length ? review.comparisons : undefined;
  const lines = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="gmemcheck ${e(review.version)}">`,
    '<title>gmemcheck review</title>',
    `<style>\n${reviewStyle}\n</style>`,
    '</head>',
    '<body>',
    '<header>',
    '<h1>gmemcheck review</h1>',
    `<p class="summary${review.summary.differs ? ' differs' : ''}"><strong>${e(summaryText(review.summary))}</strong></p>`,
    `<p>${e(runTimeText(review.elapsedMs, review.version))}</p>`,
    '</header>',
    '<main>',
    ...filters(review),
    '<noscript><p>The counterexamples and witnesses show with JavaScript on; review.md holds them all as text.</p></noscript>',
    legend(),
    ...overview(review),
    ...designs(review),
    ...(compared ? [comparisonsLink(compared)] : []),
    ...review.specs.flatMap((spec) => specSection(spec, options)),
    ...(compared ? comparisonsSection(compared) : []),
    '</main>',
    `<script>\n${mermaidBundle()}\n</script>`,
    `<script>\n${reviewScript}\n</script>`,
    '</body>',
    '</html>',
  ];
  return `${lines.join('\n')}\n`;
}
