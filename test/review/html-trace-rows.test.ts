/**
 * The cuts review.html makes in a trace's text and race diagram (trace-rows.ts), checked on
 * real traces against what the text says: each step's facts are exactly the lines the report
 * writes for that step (report/changes.ts), each race row starts at its step's number, and the
 * pieces joined back are the text. Both layouts of the text are covered: the list (guest_memfd's
 * long labels) and the table (naive_mutex's short ones), and a gutter of two digits.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { check, type Model, type PropertyResult } from '../../checker/index.ts';
import { naiveMutex } from '../../checker/examples/index.ts';
import { initialFacts, stepChanges } from '../../checker/report/changes.ts';
import { renderTrace } from '../../checker/report/index.ts';
import { raceRows, textSteps } from '../../checker/review/trace-rows.ts';
import type { Spec } from '../../checker/spec.ts';

interface Traced {
  name: string;
  model: Model<unknown, unknown>;
  result: PropertyResult<unknown, unknown>;
}

const ctx = { model: 'm', spec: 's', design: 'd', bounds: {} };

async function specTraces(id: string): Promise<Traced[]> {
  const spec = (await import(join(import.meta.dirname, '../../specs', `${id}.spec.ts`))).default as Spec<unknown, unknown>;
  return spec.designs.flatMap((design) => {
    const model = spec.model(design);
    return check(model, spec.options ?? {}).properties
      .filter((p) => spec.properties.includes(p.name) && p.trace && (p.status === 'violated' || p.status === 'satisfied'))
      .map((result) => ({ name: `${id} / ${design}: ${result.name}`, model, result }));
  });
}

/** What the text writes for each step: the initial state, then each step's changes. */
function expectedFacts({ model, result }: Traced): string[][] {
  const steps = result.trace!.steps;
  return steps.map((s, i) => {
    const facts = i === 0 ? initialFacts(model, s.state, 1000) : stepChanges(model, steps[i - 1].state, s.state);
    return facts.length > 0 ? facts : ['(no change)'];
  });
}

function checkCuts(t: Traced): { layout: 'table' | 'list'; gutter: number } {
  const steps = t.result.trace!.steps.length - 1;
  const text = renderTrace('text', t.model, t.result, ctx).trimEnd();
  const cut = textSteps(text, steps);
  expect(cut, t.name).not.toBeNull();
  expect(cut!.steps.map((s) => s.facts.map((f) => f.trim())), t.name).toEqual(expectedFacts(t));
  expect(cut!.steps.map((s) => Number(s.head.trim().split(' ')[0])), t.name).toEqual(Array.from({ length: steps + 1 }, (_, i) => i));
  // Joined back: the text, line for line.
  const lines = cut!.steps.flatMap((s) => (s.inline ? [s.head + s.facts[0], ...s.facts.slice(1)] : [s.head, ...s.facts]));
  expect([...cut!.preamble, ...lines, ...cut!.verdict].join('\n'), t.name).toBe(text);
  expect(cut!.verdict.join('\n'), t.name).toMatch(/^ +(violated: |witness: |deadlock — )/);

  const race = renderTrace('race', t.model, t.result, ctx).trimEnd();
  const rows = raceRows(race, steps);
  expect(rows, t.name).not.toBeNull();
  expect(rows!.rows.map((r) => r.step), t.name).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
  for (const r of rows!.rows) expect(r.lines[0].trimStart().startsWith(`${r.step}  `), t.name).toBe(true);
  expect([...rows!.head, ...rows!.rows.flatMap((r) => r.lines)].join('\n'), t.name).toBe(race);
  return { layout: cut!.steps.some((s) => s.inline) ? 'table' : 'list', gutter: String(steps).length };
}

describe('the steps of a trace, cut for the web page', () => {
  test('guest_memfd traces: the list layout, gutters of one and two digits', async () => {
    const traces = [...await specTraces('populate'), ...await specTraces('rmp-on-last-reference'), ...await specTraces('intra-host-migration')];
    // About ten traces, whatever the specs' designs are today; the shapes below say they cover both gutters.
    expect(traces.length).toBeGreaterThanOrEqual(5);
    const shapes = traces.map(checkCuts);
    expect(new Set(shapes.map((s) => s.layout))).toEqual(new Set(['list']));
    expect(new Set(shapes.map((s) => s.gutter))).toEqual(new Set([1, 2]));
  });

  test('naive_mutex: the table layout, the first fact beside its step', () => {
    const model = naiveMutex(2) as Model<unknown, unknown>;
    const result = check(model).properties.find((p) => p.status === 'violated')!;
    expect(checkCuts({ name: 'naive_mutex', model, result })).toEqual({ layout: 'table', gutter: 1 });
  });

  test('a text not in the expected layout is left uncut', () => {
    expect(textSteps('gmemcheck: x violated\n1 step.\n\n 0  initial\n      a: 1\n', 1)).toBeNull();
    expect(raceRows('     P0\n  1  x', 1)).toBeNull();
    expect(raceRows('     P0\n     --\n  2  x', 1)).toBeNull();
  });
});
