/**
 * review.html from a crafted review: names and traces full of `<`, `>`, `&` and `->` come out
 * escaped, the page is well formed, the matrix holds exactly the review's cells colored by
 * outcome, every link from a cell lands on its trace, and the replay command line runs from
 * where `review` ran.
 */
import { describe, expect, test } from 'vitest';
import type { Cell } from '../../checker/review/cells.ts';
import type { ReviewData, ReviewTrace, SpecReview } from '../../checker/review/data.ts';
import { reviewScript } from '../../checker/review/html-script.ts';
import { escapeHtml, renderReviewHtml, replayCommand } from '../../checker/review/html.ts';
import { mermaidBundle } from '../../checker/review/mermaid-bundle.ts';
import { htmlProblems, matrixTables, textOf, type HtmlElement } from './html-check.ts';

const evil = '<script>alert("x & y")</script>';
const prop = `no ${evil} -> after`;

function cell(property: string, status: Cell['status'], expected: Cell['expected'], verdict: Cell['verdict'], text: string, steps: number | null = null): Cell {
  return { property, kind: 'always', status, steps, expected, verdict, text };
}

function trace(property: string, status: ReviewTrace['status'], diagramFormat: ReviewTrace['diagramFormat'], file: string): ReviewTrace {
  const text = ` 0  initial   held: <none>\n 1  T0 set    held: false -> true & done\n    ${status}: ${property}`;
  return {
    property, status, steps: 1, diagramFormat, text, file,
    diagram: diagramFormat === 'race' ? `     T0\n     ------\n  1  set <${evil}>   <== ${status}: ${property}` : text,
    mermaid: `sequenceDiagram\n  A->>B: set x<y && y>z\n  Note over A: ${status}: ${property}`,
  };
}

const spec: SpecReview = {
  id: 'evil', file: 'specs/evil.spec.ts', title: `Escaping <b>&amp;</b>`, question: `Does ${evil} stay text?`,
  bounds: { 'ops<': ['a&b', 'c>d'], threads: 2 },
  designs: ['d<1>', 'plain'], properties: [prop, 'a & b'],
  propertyDocs: { [prop]: { why: `breaks ${evil}`, where: `mm/x.c y() & z()` } },
  expected: { 'd<1>': { [prop]: 'holds', 'a & b': 'satisfied' }, plain: { [prop]: 'holds', 'a & b': 'unsatisfied' } },
  runs: [
    {
      design: 'd<1>', model: 'm<1>', distinctStates: 12345, transitions: 20000, depth: 4, complete: true, stoppedBy: null, elapsedMs: 3,
      neverFired: [`${evil}op`],
      cells: [
        cell(prop, 'violated', 'holds', 'differs', '✗ violated (1 step; expected holds)', 1),
        cell('a & b', 'satisfied', 'satisfied', 'as expected', 'satisfied', 1),
      ],
      traces: [trace(prop, 'violated', 'race', 'traces/evil.d-1.no-script.json'), trace('a & b', 'satisfied', 'text', 'traces/evil.d-1.a-b.json')],
    },
    {
      design: 'plain', model: 'm', distinctStates: 200, transitions: 300, depth: 2, complete: false, stoppedBy: 'maxStates', elapsedMs: 1,
      neverFired: [],
      cells: [cell(prop, 'holds', 'holds', 'inconclusive', '? holds so far (max-states limit)'), cell('a & b', 'unsatisfied', 'unsatisfied', 'inconclusive', '? unsatisfied so far (max-states limit)')],
      traces: [],
    },
  ],
};

const review: ReviewData = {
  tool: 'gmemcheck', version: '0.1.0<', elapsedMs: 1234,
  summary: { specs: 1, runs: 2, cells: 4, asExpected: 1, differs: 1, inconclusive: 2 },
  specs: [spec],
};

const html = renderReviewHtml(review, { outDir: 'review' });

function elements(page: string): HtmlElement[] {
  const out: HtmlElement[] = [];
  htmlProblems(page, (el) => out.push(el));
  return out;
}

describe('review.html', () => {
  test('is well formed, and the well-formedness check catches what a browser would repair', () => {
    expect(htmlProblems(html)).toEqual([]);
    expect(htmlProblems('<!DOCTYPE html>\n<p>a <b>x</p></b> 1 < 2 & <div id="a"></div><div id="a">')).toEqual([
      '25: </p> closes <b>', '29: </b> closes <p>', '36: a < that starts no tag ("< 2 & <div id=\\"a\\"></")', '40: a bare & ("& <div id=\\"a")',
      '60: id "a" twice', 'end: still open: div',
    ]);
    expect(htmlProblems('<!DOCTYPE html>\n<p><pre>x</pre></p>')).toEqual(['19: <pre> inside <p>']);
  });

  test('escapes every string from the data: the only scripts are the inlined Mermaid library and the page\'s own, nothing loaded from elsewhere', () => {
    expect(escapeHtml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
    expect(html.match(/<script[^>]*>/g)).toEqual(['<script>', '<script>']);
    expect(html).toContain(`<script>\n${mermaidBundle()}\n</script>\n<script>\n${reviewScript}\n</script>\n</body>`);
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\/|import\s*\(?\s*['"]https?:/);
    // The page outside its two scripts (the Mermaid library holds `<b>`).
    const page = html.replace(/<script>[\s\S]*?<\/script>/g, '');
    expect(page).not.toContain('<b>');
    expect(html).toContain('<h2>Escaping &lt;b&gt;&amp;amp;&lt;/b&gt;</h2>');
    expect(html).toContain('Bounds: ops&lt; = a&amp;b, c&gt;d; threads = 2.');
    expect(html).toContain('<pre class="mermaid">sequenceDiagram\n  A-&gt;&gt;B: set x&lt;y &amp;&amp; y&gt;z\n');
    expect(html).toContain('<tr><th scope="row"><code>no &lt;script&gt;alert(&quot;x &amp; y&quot;)&lt;/script&gt; -&gt; after</code></th>' +
      '<td>breaks &lt;script&gt;alert(&quot;x &amp; y&quot;)&lt;/script&gt;</td><td>mm/x.c y() &amp; z()</td></tr>');
    expect(html).toContain('<p class="idle">Actions never fired (part of the model these bounds do not reach): d&lt;1&gt;: &lt;script&gt;alert(&quot;x &amp; y&quot;)&lt;/script&gt;op.</p>');
  });

  test('one matrix with exactly the review\'s cells, colored by outcome, the cell that differs marked with what was expected', () => {
    expect(matrixTables(html)).toEqual([[
      ['design', prop, 'a & b', 'states', 'depth'],
      ['d<1>', '✗ violated (1 step; expected holds)', 'satisfied', '12,345', '4'],
      ['plain', '? holds so far (max-states limit)', '? unsatisfied so far (max-states limit)', '200 (incomplete)', '2'],
    ]]);
    // Outcome cells are the only ones with a class other than num (the overview's are plain or num):
    // first the designs side by side (d<1> breaks a property, plain breaks none), then the matrix.
    const cells = elements(html).filter((el) => el.name === 'td' && el.attrs.class && !el.attrs.class.startsWith('num'));
    expect(cells.map((el) => [el.attrs.class, el.attrs.title])).toEqual([
      ['violated', undefined], ['holds', undefined],
      ['violated differs', 'expected holds'], ['satisfied', undefined], ['inconclusive', undefined], ['inconclusive', undefined],
    ]);
  });

  test('every link from a cell lands on its trace section; a race trace folds its step-by-step text, a text-only one shows it', () => {
    const all = elements(html);
    const ids = new Set(all.flatMap((el) => (el.attrs.id ? [el.attrs.id] : [])));
    const links = all.flatMap((el) => (el.name === 'a' && el.attrs.href.startsWith('#') ? [el.attrs.href.slice(1)] : []));
    // The overview's spec, the violation from the designs side by side, then the matrix's cells.
    expect(links).toEqual(['escaping-bampb', 'evil--d1-no-scriptalertx--yscript---after', 'evil--d1-no-scriptalertx--yscript---after', 'evil--d1-a--b']);
    expect(links.filter((l) => !ids.has(l))).toEqual([]);
    const section = (id: string) => html.slice(html.indexOf(`id="${id}"`), html.indexOf('</section>', html.indexOf(`id="${id}"`)));
    const violated = section(links[2]);
    expect(violated).toMatch(/^id="evil--d1-no-scriptalertx--yscript---after" data-design="d&lt;1&gt;" data-property="no &lt;script&gt;[^"]*-&gt; after" data-outcome="violated differs">/);
    expect(violated.match(/<pre class="(\w+)"/g)).toEqual(['<pre class="race"', '<pre class="text"', '<pre class="mermaid"']);
    // The body waits in a template for the page's script; the stepper first, then the diagrams.
    expect(violated).toContain('<template class="body"><div class="trace-body">\n<div class="stepper" data-last="1">\n');
    // Each step's row of the race diagram, and each step of the text with its facts, in a block the stepper marks.
    expect(violated).toContain(`<pre class="race">     T0\n     ------\n<span class="row" data-step="1">  1  set &lt;${escapeHtml(evil)}&gt;   &lt;== violated: ${escapeHtml(prop)}</span></pre>`);
    expect(violated).toContain('<details><summary>step by step</summary><pre class="text">' +
      '<span class="step" data-step="0"><span class="head"> 0  initial   </span><span class="fact">held: &lt;none&gt;</span>\n</span>' +
      '<span class="step" data-step="1"><span class="head"> 1  T0 set    </span><span class="fact">held: false -&gt; true &amp; done</span>\n</span>' +
      `    violated: ${escapeHtml(prop)}</pre></details>`);
    // Cut into blocks, each text reads as it was.
    const t = spec.runs[0].traces[0];
    const pres = [...violated.matchAll(/<pre class="(\w+)">([\s\S]*?)<\/pre>/g)].map(([, cls, body]) => [cls, textOf(body)]);
    expect(pres).toEqual([['race', t.diagram], ['text', t.text], ['mermaid', t.mermaid]]);
    expect(violated).toContain(`: violated (counterexample, 1 step, shortest).</p>`);
    expect(violated).toContain('<p class="replay">Saved as <a href="traces/evil.d-1.no-script.json">traces/evil.d-1.no-script.json</a>; <code>gmemcheck replay review/traces/evil.d-1.no-script.json</code> replays it.</p>');
    const witness = section(links[3]);
    expect(witness.match(/<pre class="(\w+)"/g)).toEqual(['<pre class="text"', '<pre class="mermaid"']);
    expect(witness).toContain('<template class="body"><div class="trace-body">\n<details class="witness"><summary>the witness</summary>\n<div class="stepper" data-last="1">');
  });

  test('the replay command line names --specs when the spec lives outside specs/, and quotes what a shell would split', () => {
    const t = spec.runs[0].traces[0];
    expect(replayCommand({ ...spec, file: 'test/cli/fixtures/specs/lock.spec.ts' }, t, { outDir: '/tmp/my review/' }))
      .toBe(`gmemcheck replay '/tmp/my review/traces/evil.d-1.no-script.json' --specs test/cli/fixtures/specs`);
    expect(replayCommand({ ...spec, file: 'lock.spec.ts' }, t, { outDir: 'out' })).toBe('gmemcheck replay out/traces/evil.d-1.no-script.json --specs .');
  });

  test('the header says the summary, the run time and the version', () => {
    expect(html).toContain('<p class="summary differs"><strong>1 spec, 2 design runs, 4 cells: 1 as expected, 1 differs from the expectation, 2 inconclusive (stopped by a limit).</strong></p>\n' +
      '<p>Run time: 1.2 s (gmemcheck 0.1.0&lt;).</p>');
  });
});
