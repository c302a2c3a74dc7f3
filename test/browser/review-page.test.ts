/**
 * review.html in a real browser (Debian's Chromium through playwright-core), opened from disk
 * with the network cut: no request may leave the machine and no console error may show. The
 * matrix links land on their traces, each trace steps forward and back, the filters narrow the
 * page, the Mermaid diagrams draw from the inlined library, a link to a trace opens the page at
 * that trace, each design's comparison with its spec's baseline is linked from the section's
 * table and shows its first new fact set and trace, and a page of ten times today's traces loads
 * fast with a small document.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Cell } from '../../checker/review/cells.ts';
import type { ReviewTrace } from '../../checker/review/data.ts';
import { textSteps } from '../../checker/review/trace-rows.ts';
import { comparisonAnchor, comparisonHeading, comparisonsTitle } from '../../checker/review/comparisons.ts';
import { anchor, traceHeading } from '../../checker/review/wording.ts';
import { launchChromium, offlinePage, type PageWatch } from './chromium.ts';
import { colorStats, countColor, decodePng } from './png.ts';
import { repeatedReview, TODAY_TRACES, writeHtml, writeSmallReview, type WrittenReview } from './review-fixture.ts';

let browser: Browser;
let small: WrittenReview;

beforeAll(async () => {
  [browser, small] = await Promise.all([launchChromium(), writeSmallReview()]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (small) rmSync(small.dir, { recursive: true, force: true });
});

/** The traces of the small review as the page should show them, in page order. */
function traces() {
  return small.review.specs.flatMap((spec) =>
    spec.runs.flatMap((run) =>
      run.traces.map((trace) => {
        const cell = run.cells.find((c) => c.property === trace.property) as Cell;
        const outcome = cell.verdict === 'inconclusive' ? 'inconclusive' : cell.status;
        return {
          spec: spec.id,
          design: run.design,
          trace,
          id: anchor(traceHeading(spec, run, trace.property)),
          outcome,
        };
      }),
    ),
  );
}

/** A fresh page with the network cut; after `body`, nothing may have left the machine and no error shown. */
async function withPage(
  body: (page: Page) => Promise<void>,
  viewport?: { width: number; height: number },
): Promise<void> {
  const { page, watch } = await offlinePage(browser, viewport);
  try {
    await body(page);
    expect(watch).toEqual<PageWatch>({ offMachine: [], errors: [] });
  } finally {
    await page.close();
  }
}

/** Where the trace (or comparison) section `id` is: rendered, its heading inside the window and not under the filters. */
function placeOf(page: Page, id: string) {
  return page.evaluate((id) => {
    const section = document.getElementById(id)!;
    const heading = section.querySelector('h3')!.getBoundingClientRect();
    const hit = document.elementFromPoint(heading.left + 4, heading.top + heading.height / 2);
    return {
      hash: decodeURIComponent(location.hash.slice(1)),
      rendered: section.querySelector(':scope > :is(.trace-body, .comparison-body)') !== null,
      inWindow: heading.top >= 0 && heading.bottom <= innerHeight,
      uncovered: section.querySelector('h3')!.contains(hit),
      witnessOpen: [...section.querySelectorAll('details.witness')].every((d) => (d as HTMLDetailsElement).open),
    };
  }, id);
}

const landed = (id: string) => ({ hash: id, rendered: true, inWindow: true, uncovered: true, witnessOpen: true });

describe('review.html in Chromium, offline', () => {
  test('the page opens from disk with the matrix in its outcome colors; the screenshot shows it', async () => {
    await withPage(async (page) => {
      await page.goto(small.url);
      const matrix = page.locator('table.matrix').first();
      await matrix.scrollIntoViewIfNeeded();
      const box = (await matrix.boundingBox())!;
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height).toBeLessThanOrEqual(900);
      const png = await page.screenshot();
      writeFileSync(join(tmpdir(), 'gmemcheck-review-matrix.png'), png);
      const image = decodePng(png);
      expect([image.width, image.height]).toEqual([1280, 900]);
      // Not blank: text in many shades (anti-aliasing), a good share of the window inked.
      const { colors, inked } = colorStats(image);
      expect(colors).toBeGreaterThan(100);
      expect(inked).toBeGreaterThan(0.05);
      // Inside the matrix's box, cells in the colors of holds, violated and satisfied (html-style.ts).
      expect(countColor(image, '#dafbe1', box)).toBeGreaterThan(2000);
      expect(countColor(image, '#ffebe9', box)).toBeGreaterThan(1000);
      expect(countColor(image, '#ddf4ff', box)).toBeGreaterThan(1000);
    });
  });

  test('every matrix cell with a trace links to it, and following the link shows that trace in the window', async () => {
    await withPage(async (page) => {
      await page.goto(small.url);
      const links = await page.$$eval('table.matrix a', (as) => as.map((a) => a.getAttribute('href')));
      const all = traces();
      // One link per trace, each from its own cell.
      expect(links).toEqual(all.map((t) => `#${t.id}`));
      // The specs of PAGE_SPECS have about twenty traces between them.
      expect(all.length).toBeGreaterThanOrEqual(10);
      for (const { id } of all) {
        await page.locator(`table.matrix a[href="#${id}"]`).click();
        await page.waitForFunction((id) => decodeURIComponent(location.hash.slice(1)) === id, id);
        await page.evaluate(() => new Promise(requestAnimationFrame));
        expect(await placeOf(page, id)).toEqual(landed(id));
      }
    });
  });

  test("each trace steps forward and back: the step's label and changed facts shown, its race row and text block marked", async () => {
    await withPage(async (page) => {
      await page.goto(small.url);
      for (const { id, trace } of traces()) {
        await page.evaluate((id) => {
          location.hash = id;
        }, id);
        const section = page.locator(`[id="${id}"]`);
        const next = section.locator('.stepper button.next');
        const previous = section.locator('.stepper button.previous');
        const cut = textSteps(trace.text, trace.steps)!;
        const seen = [];
        const expected = [];
        for (let k = 0; k <= trace.steps; k++) {
          if (k > 0) await next.click();
          seen.push(await stepState(page, id));
          expected.push(expectedState(trace, k, cut.steps[k].head, cut.steps[k].facts));
        }
        expect(seen).toEqual(expected);
        await previous.click();
        expect(await stepState(page, id)).toEqual(
          expectedState(trace, trace.steps - 1, cut.steps[trace.steps - 1].head, cut.steps[trace.steps - 1].facts),
        );
      }
    });
  });

  test('the filters narrow the matrices and the traces to a design, a property, an outcome, and show all again', async () => {
    await withPage(async (page) => {
      await page.goto(small.url);
      const all = traces();
      const shown = () =>
        page.evaluate(() => ({
          traces: [...document.querySelectorAll<HTMLElement>('section.trace')]
            .filter((s) => !s.closest('[hidden]'))
            .map((s) => s.id),
          specs: [...document.querySelectorAll<HTMLElement>('section.spec')].filter((s) => !s.hidden).length,
          rows: [
            ...new Set(
              [...document.querySelectorAll<HTMLElement>('table.matrix tr[data-design]')]
                .filter((r) => !r.closest('[hidden]'))
                .map((r) => r.dataset.design),
            ),
          ],
          columns: [
            ...new Set(
              [...document.querySelectorAll<HTMLElement>('table.matrix th[data-property]')]
                .filter((c) => !c.closest('[hidden]'))
                .map((c) => c.dataset.property),
            ),
          ],
          bright: [
            ...new Set(
              [...document.querySelectorAll<HTMLElement>('table.matrix td[data-outcome]')]
                .filter((c) => !c.closest('[hidden]') && !c.classList.contains('dim'))
                .map((c) => c.dataset.outcome),
            ),
          ].sort(),
          count: document.querySelector('form.filters .shown')!.textContent,
        }));
      const specsChecking = (design: string) =>
        small.review.specs.filter((s) => s.runs.some((r) => r.design === design)).length;

      // The design with the most traces, and its property with the most (each in several specs, today).
      const most = <T>(xs: readonly T[]) =>
        [...new Set(xs)].sort((a, b) => xs.filter((x) => x === b).length - xs.filter((x) => x === a).length)[0];
      const design = most(all.map((t) => t.design));
      await page.selectOption('select[name=design]', design);
      const ofDesign = all.filter((t) => t.design === design);
      expect(ofDesign.length).toBeGreaterThan(1);
      expect(await shown()).toMatchObject({
        traces: ofDesign.map((t) => t.id),
        specs: specsChecking(design),
        rows: [design],
        count: `${ofDesign.length} of ${all.length} traces shown`,
      });

      const property = most(ofDesign.map((t) => t.trace.property));
      await page.selectOption('select[name=property]', property);
      const both = ofDesign.filter((t) => t.trace.property === property);
      expect(await shown()).toMatchObject({
        traces: both.map((t) => t.id),
        specs: small.review.specs.filter(
          (s) => s.runs.some((r) => r.design === design) && s.properties.includes(property),
        ).length,
        rows: [design],
        columns: [property],
        count: `${both.length} of ${all.length} traces shown`,
      });

      await page.click('form.filters button.all');
      await page.selectOption('select[name=outcome]', 'violated');
      const violated = all.filter((t) => t.outcome === 'violated');
      expect(await shown()).toMatchObject({
        traces: violated.map((t) => t.id),
        specs: new Set(violated.map((t) => t.spec)).size,
        bright: ['violated'],
        count: `${violated.length} of ${all.length} traces shown`,
      });

      await page.click('form.filters button.all');
      expect(await shown()).toMatchObject({
        traces: all.map((t) => t.id),
        specs: small.review.specs.length,
        count: `${all.length} of ${all.length} traces shown`,
      });
    });
  });

  test('the Mermaid diagrams of a counterexample and of a witness draw as SVG from the inlined library', async () => {
    await withPage(async (page) => {
      await page.goto(small.url);
      const all = traces();
      for (const t of [
        all.find((x) => x.trace.status === 'violated')!,
        all.find((x) => x.trace.status === 'satisfied')!,
      ]) {
        await page.evaluate((id) => {
          location.hash = id;
        }, t.id);
        const svg = page.locator(`[id="${t.id}"] pre.mermaid svg`);
        await svg.waitFor({ timeout: 20_000 });
        // The diagram's own words: its title names the property, one numbered message per step.
        expect(await svg.textContent()).toContain(`${t.trace.property} ${t.trace.status}`);
        expect(await svg.locator('.sequenceNumber').count()).toBe(t.trace.steps);
      }
    });
  });

  test("opened at a trace's link, the page shows that trace in the window (the screenshot is not blank)", async () => {
    const last = traces()
      .filter((t) => t.trace.status === 'violated')
      .at(-1)!;
    await withPage(async (page) => {
      await page.goto(`${small.url}#${last.id}`);
      // Time for the traces around it to render and their diagrams to draw, above it too.
      await page.waitForTimeout(1500);
      expect(await placeOf(page, last.id)).toEqual(landed(last.id));
      const png = await page.screenshot();
      writeFileSync(join(tmpdir(), 'gmemcheck-review-anchor.png'), png);
      const image = decodePng(png);
      expect(colorStats(image).inked).toBeGreaterThan(0.05);
      // The race diagram's box (its background color) fills a good part of the window.
      expect(countColor(image, '#f6f8fa')).toBeGreaterThan(50_000);
    });
  });

  test('the comparisons section lists every design compared; each link lands on its comparison, which shows its first new fact set and trace', async () => {
    const compared = small.review.comparisons!;
    // Derived from the review: each spec's designs but its baseline.
    expect(compared.designs.map((c) => `${c.spec} ${c.to}`)).toEqual(
      small.review.specs.flatMap((spec) => {
        const baseline = spec.designs.includes(compared.with) ? compared.with : spec.designs[0];
        return spec.designs.filter((d) => d !== baseline).map((d) => `${spec.id} ${d}`);
      }),
    );
    await withPage(async (page) => {
      await page.goto(small.url);
      expect(await page.locator('section.comparisons > h2').textContent()).toBe(comparisonsTitle(compared.with));
      // Linked from the top of the page.
      expect(await page.locator(`main > p a[href="#${anchor(comparisonsTitle(compared.with))}"]`).count()).toBe(1);
      const rows = await page.$$eval('table.comparisons tbody tr', (trs) =>
        trs.map((tr) => [...tr.children].map((c) => c.textContent)),
      );
      expect(rows.map((r) => r.slice(0, 3))).toEqual(compared.designs.map((c) => [c.spec, c.to, c.from]));
      for (const c of compared.designs) {
        const id = comparisonAnchor(c, compared.with);
        await page.locator(`table.comparisons a[href="#${id}"]`).click();
        await page.waitForFunction((id) => decodeURIComponent(location.hash.slice(1)) === id, id);
        await page.evaluate(() => new Promise(requestAnimationFrame));
        expect(await placeOf(page, id)).toEqual(landed(id));
        const section = page.locator(`[id="${id}"]`);
        expect(await section.locator('h3').textContent()).toBe(comparisonHeading(c, compared.with));
        // Each side with new views shows its first fact set, every fact of it, and its shortest trace.
        const shown = [c.newInTo, c.newInFrom].flatMap((side) => side.shown.slice(0, 1));
        const blocks = await section.locator('pre.fact-set').allTextContents();
        expect(blocks).toHaveLength(shown.length);
        shown.forEach((set, i) => {
          for (const fact of set.facts) expect(blocks[i]).toContain(fact);
          for (const step of set.trace ?? []) expect(blocks[i]).toContain(step);
          expect(blocks[i]).toContain(set.trace ? `shortest trace, ${set.trace.length} step` : 'no trace found');
        });
      }
      // The design filter narrows the comparisons too.
      const design = compared.designs[0].to;
      await page.selectOption('select[name=design]', design);
      const visible = await page.$$eval('section.comparison', (ss) =>
        ss.filter((s) => !(s as HTMLElement).hidden).map((s) => s.dataset.design),
      );
      expect(visible).toEqual(compared.designs.filter((c) => c.to === design).map((c) => c.to));
    });
  });

  test("opened at a comparison's link, the page shows that comparison in the window", async () => {
    const compared = small.review.comparisons!;
    const c = compared.designs.at(-1)!;
    const id = comparisonAnchor(c, compared.with);
    await withPage(async (page) => {
      await page.goto(`${small.url}#${id}`);
      // Time for the sections around it to render, above it too.
      await page.waitForTimeout(1500);
      expect(await placeOf(page, id)).toEqual(landed(id));
    });
  });

  test(`a page of ten times today's ${TODAY_TRACES} traces loads fast, renders only the traces near the window, and a link still lands`, async () => {
    const big = repeatedReview(small.review, 10 * TODAY_TRACES);
    const url = writeHtml(big, small.dir);
    await withPage(async (page) => {
      const started = Date.now();
      await page.goto(url);
      const loadMs = Date.now() - started;
      const size = () =>
        page.evaluate(() => ({
          traces: document.querySelectorAll('section.trace').length,
          rendered: document.querySelectorAll('.trace-body').length,
          nodes: document.querySelectorAll('*').length,
        }));
      const atLoad = await size();
      expect(atLoad.traces).toBeGreaterThanOrEqual(10 * TODAY_TRACES);
      expect(atLoad.rendered).toBe(0);
      // The matrices and the sections' headings: about 13 nodes per trace, never its body.
      // The matrices and the sections' headings: about 32 elements per trace at this size.
      expect(atLoad.nodes).toBeLessThan(35 * atLoad.traces);
      expect(loadMs).toBeLessThan(10_000);

      const middle = big.specs[Math.floor(big.specs.length / 2)];
      const run = middle.runs.find((r) => r.traces.length > 0)!;
      const id = anchor(traceHeading(middle, run, run.traces[0].property));
      await page.evaluate((id) => {
        location.hash = id;
      }, id);
      await page.waitForTimeout(500);
      expect(await placeOf(page, id)).toEqual(landed(id));
      const there = await size();
      expect(there.rendered).toBeGreaterThan(0);
      expect(there.rendered).toBeLessThanOrEqual(8);
      expect(there.nodes - atLoad.nodes).toBeLessThan(4000);
      // Every body rendered at once (their diagrams still text) would triple the document.
      const whole = await page.evaluate(() => {
        for (const t of document.querySelectorAll('template.body'))
          t.replaceWith((t as HTMLTemplateElement).content.cloneNode(true));
        return document.querySelectorAll('*').length;
      });
      expect(whole).toBeGreaterThan(2.5 * atLoad.nodes);
      if (process.env.GMEMCHECK_PAGE_FIGURES) {
        console.log(
          `10x page: ${atLoad.traces} traces, loaded in ${loadMs} ms, ${atLoad.nodes} elements at load, ${there.nodes} with ${there.rendered} traces rendered, ${whole} with every body`,
        );
      }
    });
  });
});

/** What the stepper and the marks show on a trace's page. */
function stepState(page: Page, id: string) {
  return page.evaluate((id) => {
    const section = document.getElementById(id)!;
    const text = (sel: string) => section.querySelector(sel)!.textContent;
    return {
      at: text('.stepper .at'),
      label: text('.stepper .label'),
      facts: [...section.querySelectorAll('.stepper .facts li')].map((li) => `${li.className}|${li.textContent}`),
      raceRows: [...section.querySelectorAll<HTMLElement>('pre.race .current')].map((r) => Number(r.dataset.step)),
      textBlocks: [...section.querySelectorAll<HTMLElement>('pre.text .current')].map((r) => Number(r.dataset.step)),
      previous: (section.querySelector('.stepper button.previous') as HTMLButtonElement).disabled,
      next: (section.querySelector('.stepper button.next') as HTMLButtonElement).disabled,
    };
  }, id);
}

function expectedState(trace: ReviewTrace, k: number, head: string, facts: readonly string[]) {
  return {
    at: `step ${k} of ${trace.steps}`,
    label: head.trim().replace(/^\d+\s+/, ''),
    // The changes of step k, marked; at step 0, the initial state, unmarked.
    facts: facts.map((f) => `${k > 0 ? 'changed' : ''}|${f.trim()}`),
    raceRows: trace.diagramFormat === 'race' && k > 0 ? [k] : [],
    textBlocks: [k],
    previous: k === 0,
    next: k === trace.steps,
  };
}
