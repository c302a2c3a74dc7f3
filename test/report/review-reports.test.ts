/**
 * Every counterexample and witness of the review (specs/, every design) as a reviewer pastes
 * it: the race diagram fits in a mail (100 columns), the Mermaid diagram parses, and every state
 * of its trace reads in kernel terms through the model's view: no raw indexed path (`pfns[0]`),
 * no -1 for "none".
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, type Fact, type Model, type PropertyResult } from '../../checker/index.ts';
import { renderTrace } from '../../checker/report/index.ts';
import type { Spec } from '../../checker/spec.ts';
import { designNames, designs, gmemModel } from '../../src/index.ts';
import { mermaidSequenceErrors } from './mermaid-grammar.ts';

const specsDir = join(import.meta.dirname, '../../specs');
const specIds = readdirSync(specsDir)
  .filter((f) => f.endsWith('.spec.ts'))
  .map((f) => f.slice(0, -'.spec.ts'.length))
  .sort();

interface Traced {
  name: string;
  model: Model<unknown, unknown>;
  result: PropertyResult<unknown, unknown>;
  ctx: { model: string; spec: string; design: string; bounds: Spec['bounds'] };
}

/** The traces the review renders: per spec, per design, each reported property with a trace. */
async function reviewTraces(): Promise<Traced[]> {
  const out: Traced[] = [];
  for (const id of specIds) {
    const spec = (await import(join(specsDir, `${id}.spec.ts`))).default as Spec<unknown, unknown>;
    for (const design of spec.designs) {
      const model = spec.model(design);
      const result = check(model, spec.options ?? {});
      for (const name of spec.properties) {
        const p = result.properties.find((r) => r.name === name);
        if (!p?.trace || (p.status !== 'violated' && p.status !== 'satisfied')) continue;
        out.push({
          name: `${id} / ${design}: ${name}`,
          model,
          result: p,
          ctx: { model: model.name, spec: id, design, bounds: spec.bounds },
        });
      }
    }
  }
  return out;
}

/** What a view must not say: a raw indexed path, -1 for "none", or a value JavaScript made up. */
function rawBits(view: readonly Fact[]): string[] {
  return view
    .map((f) => `${f.key}: ${f.value}`)
    .filter((fact) => /\w\[\d+\]|(^|[^\w.])-1\b|undefined|NaN|\[object/.test(fact));
}

describe("the review's traces, as a reviewer pastes them", () => {
  it(
    'every race diagram of every spec and design keeps within 100 columns; every Mermaid diagram parses; every state reads through the view',
    { timeout: 300_000 },
    async () => {
      const traces = await reviewTraces();
      expect(traces.length).toBe(221);
      const wide = traces.flatMap((t) => {
        const widest = Math.max(
          ...renderTrace('race', t.model, t.result, t.ctx)
            .split('\n')
            .map((l) => l.length),
        );
        return widest > 100 ? [`${t.name}: ${widest} columns`] : [];
      });
      expect(wide).toEqual([]);
      // Their Mermaid diagrams, whose notes are the view's changes, pass the grammar check.
      const bad = traces.flatMap((t) =>
        mermaidSequenceErrors(renderTrace('mermaid', t.model, t.result, t.ctx)).map((e) => `${t.name}: ${e}`),
      );
      expect(bad).toEqual([]);
      // And every state of every trace reads through the view.
      const raw = traces.flatMap((t) =>
        t.result.trace!.steps.flatMap((s, i) =>
          rawBits(t.model.presentation!.view!(s.state)).map((b) => `${t.name}, step ${i}: ${b}`),
        ),
      );
      expect(raw).toEqual([]);
    },
  );

  it('the initial state of every design, with 2 VMs and an IOMMU domain, reads in kernel terms', () => {
    expect(
      rawBits([
        { key: 'pfns[0].index', value: '3' },
        { key: 'cached', value: 'true' },
        { key: 'index', value: '-1' },
      ]),
    ).toEqual(['pfns[0].index: 3', 'index: -1']);
    const raw = designNames().flatMap((d) => {
      const model = gmemModel({ design: designs[d], bounds: { vms: 2, iommuDomains: 1 } });
      const [init] = model.initStates();
      return rawBits(model.presentation.view(init)).map((b) => `${d}: ${b}`);
    });
    expect(raw).toEqual([]);
  });
});
