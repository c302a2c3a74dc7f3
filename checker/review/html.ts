/**
 * review.html: the review as one web page that opens from disk, with no server and no network.
 * The same data and the same words as review.md (wording.ts), laid out for a browser: per spec,
 * the matrix as a table whose cells are colored by outcome, the properties' why and where (when
 * the model documents them), then each counterexample and witness with its race diagram, its
 * step-by-step text (folded), its Mermaid source and the command line that replays it. The CSS
 * is inline; the one script loads Mermaid from a CDN to draw the diagrams, and the page reads the
 * same without it: every diagram is also text in a `<pre>`.
 * Every string from the data is escaped (property names and actions hold `<`, `>`, `&`, `->`).
 */
import type { Cell } from './cells.ts';
import type { ReviewData, ReviewRun, ReviewTrace, SpecReview } from './data.ts';
import { summaryText } from './matrix.ts';
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

function matrixCell(spec: SpecReview, run: ReviewRun, cell: Cell): string {
  const target = cellTraceAnchor(spec, run, cell);
  const text = target ? `<a href="#${e(target)}">${e(cell.text)}</a>` : e(cell.text);
  const title = cell.verdict === 'differs' ? ` title="${e(`expected ${cell.expected}`)}"` : '';
  return `<td class="${cellClass(cell)}"${title}>${text}</td>`;
}

function matrix(spec: SpecReview): string[] {
  const head = ['<th scope="col">design</th>', ...spec.properties.map((p) => `<th scope="col">${e(p)}</th>`), '<th scope="col" class="num">states</th>', '<th scope="col" class="num">depth</th>'];
  const rows = spec.runs.map((run) =>
    `<tr><th scope="row">${e(run.design)}</th>${run.cells.map((c) => matrixCell(spec, run, c)).join('')}` +
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
    return `<tr><th scope="row">${e(d.design)}</th><td class="num">${d.specs}</td>` +
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

function traceSection(spec: SpecReview, run: ReviewRun, trace: ReviewTrace, options: HtmlOptions): string[] {
  const heading = traceHeading(spec, run, trace.property);
  const diagrams = trace.diagramFormat === 'race'
    ? [`<pre class="race">${e(trace.diagram)}</pre>`, `<details><summary>step by step</summary><pre class="text">${e(trace.text)}</pre></details>`]
    : [`<pre class="text">${e(trace.text)}</pre>`];
  diagrams.push(`<pre class="mermaid">${e(trace.mermaid)}</pre>`);
  return [
    `<section class="trace ${trace.status}" id="${e(anchor(heading))}">`,
    `<h3>${e(heading)}</h3>`,
    `<p>Property <strong>${e(trace.property)}</strong>, design <strong>${e(run.design)}</strong>: ${e(traceOutcomeText(trace))}.</p>`,
    // A witness only shows the scenario is reachable: folded, so the counterexamples stand out.
    ...(trace.status === 'satisfied' ? ['<details><summary>the witness</summary>', ...diagrams, '</details>'] : diagrams),
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

const style = `
:root { color-scheme: light dark; --fg: #1f2328; --bg: #fff; --muted: #59636e; --line: #d1d9e0; --code: #f6f8fa; --link: #0969da;
  --holds: #dafbe1; --violated: #ffebe9; --satisfied: #ddf4ff; --unsatisfied: #eaeef2; --inconclusive: #fff8c5; --differs: #cf222e; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --line: #3d444d; --code: #151b23; --link: #4493f8;
  --holds: #12361f; --violated: #4b1113; --satisfied: #0c2d4b; --unsatisfied: #262c36; --inconclusive: #3b2e00; --differs: #ff7b72; } }
body { margin: 0 auto; padding: 1rem 1.5rem 4rem; max-width: 72rem; font: 15px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--link); }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
pre { background: var(--code); border: 1px solid var(--line); border-radius: 6px; padding: .75rem; overflow-x: auto; line-height: 1.35; }
pre.mermaid[data-processed] { background: none; border: 0; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .3rem .6rem; text-align: left; vertical-align: top; }
thead th { background: var(--code); }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; }
:is(td, code).holds { background: var(--holds); } :is(td, code).violated { background: var(--violated); }
:is(td, code).satisfied { background: var(--satisfied); } :is(td, code).unsatisfied { background: var(--unsatisfied); }
:is(td, code).inconclusive { background: var(--inconclusive); }
table.properties th code { white-space: nowrap; }
td.differs { outline: 2px solid var(--differs); outline-offset: -2px; font-weight: 600; }
.differs { color: var(--differs); } td.differs a { color: inherit; }
blockquote { margin: 0 0 1rem; padding-left: 1rem; border-left: 3px solid var(--line); color: var(--muted); }
section.spec { border-top: 1px solid var(--line); margin-top: 2.5rem; }
summary { cursor: pointer; color: var(--muted); }
.idle, .replay { color: var(--muted); }
`.trim();

/**
 * With the network, the Mermaid sources render as diagrams, those in a folded `<details>` when
 * it opens (a hidden diagram renders at zero size); without it, the module fails to load and
 * the sources stay as text.
 */
const script = `
import mermaid from 'https://cdn.jsdelivr.net/npm/mermaid@11/dist/mermaid.esm.min.mjs';
mermaid.initialize({ startOnLoad: false, theme: matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'default' });
const draw = (root) => mermaid.run({ suppressErrors: true,
  nodes: [...root.querySelectorAll('pre.mermaid:not([data-processed])')].filter((n) => !n.closest('details:not([open])')) });
draw(document);
addEventListener('toggle', (event) => { if (event.target.open) draw(event.target); }, true);
`.trim();

export function renderReviewHtml(review: ReviewData, options: HtmlOptions): string {
  const lines = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="gmemcheck ${e(review.version)}">`,
    '<title>gmemcheck review</title>',
    `<style>\n${style}\n</style>`,
    '</head>',
    '<body>',
    '<header>',
    '<h1>gmemcheck review</h1>',
    `<p class="summary${review.summary.differs ? ' differs' : ''}"><strong>${e(summaryText(review.summary))}</strong></p>`,
    `<p>${e(runTimeText(review.elapsedMs, review.version))}</p>`,
    '</header>',
    '<main>',
    legend(),
    ...overview(review),
    ...designs(review),
    ...review.specs.flatMap((spec) => specSection(spec, options)),
    '</main>',
    `<script type="module">\n${script}\n</script>`,
    '</body>',
    '</html>',
  ];
  return `${lines.join('\n')}\n`;
}
