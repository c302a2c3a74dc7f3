/**
 * The cuts review.html makes in a trace's text and race diagram (trace-rows.ts), checked on
 * real traces against what the text says: each step's facts are exactly the lines the report
 * writes for that step (report/changes.ts), each race row starts at its step's number, and the
 * pieces joined back are the text. Both layouts of the text are covered: the list (guest_memfd's
 * long labels) and the table (naive_mutex's short ones); a made-up trace of twelve steps has
 * a gutter of two digits.
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

/** Rows that start at the name of an operation, over every trace checked. */
let operations = 0;

function checkCuts(t: Traced): { layout: 'table' | 'list' } {
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
  // A row starts at its step's number, or at the operation its thread starts there (`op:`, in the same column).
  for (const r of rows!.rows) {
    const numbered = r.lines.findIndex((l) => l.trimStart().startsWith(`${r.step}  `));
    expect(numbered === 0 || (numbered === 1 && r.lines[0].endsWith(':')), `${t.name}: row ${r.step}`).toBe(true);
  }
  operations += rows!.rows.filter((r) => !r.lines[0].trimStart().startsWith(`${r.step}  `)).length;
  expect([...rows!.head, ...rows!.rows.flatMap((r) => r.lines)].join('\n'), t.name).toBe(race);
  return { layout: cut!.steps.some((s) => s.inline) ? 'table' : 'list' };
}

describe('the steps of a trace, cut for the web page', () => {
  test('guest_memfd traces: the list layout', async () => {
    const traces = [...await specTraces('populate'), ...await specTraces('intra-host-migration')];
    // About ten traces, whatever the specs' designs are today.
    expect(traces.length).toBeGreaterThanOrEqual(5);
    expect(new Set(traces.map(checkCuts).map((s) => s.layout))).toEqual(new Set(['list']));
    // Threads that start a second operation: its name opens the row of its first step.
    expect(operations).toBeGreaterThan(0);
  });

  test('a trace of ten steps or more: numbers right-aligned in a gutter of two digits', () => {
    const step = (k: number) => [`${String(k).padStart(3)}  T0 step ${k}`, `        x: ${k - 1} -> ${k}`];
    const text = ['gmemcheck: small violated', '12 steps.', '', '  0  initial', '        x: 0',
      ...Array.from({ length: 12 }, (_, i) => step(i + 1)).flat(), '    violated: small — x reached 12'].join('\n');
    const cut = textSteps(text, 12)!;
    expect(cut.steps.map((s) => [s.head, s.facts.length])).toEqual([['  0  initial', 1], ...Array.from({ length: 12 }, (_, i) => [`${String(i + 1).padStart(3)}  T0 step ${i + 1}`, 1])]);
    expect(cut.verdict).toEqual(['    violated: small — x reached 12']);
    const race = ['gmemcheck: small violated', '', '      T0', '      ------',
      ...Array.from({ length: 12 }, (_, i) => `  ${String(i + 1).padStart(2)}  step ${i + 1}${i === 11 ? '   <== violated:' : ''}`), '            x reached 12'].join('\n');
    const rows = raceRows(race, 12)!;
    expect(rows.rows.map((r) => [r.step, r.lines.length])).toEqual(Array.from({ length: 12 }, (_, i) => [i + 1, i === 11 ? 2 : 1]));
  });

  test('naive_mutex: the table layout, the first fact beside its step', () => {
    const model = naiveMutex(2) as Model<unknown, unknown>;
    const result = check(model).properties.find((p) => p.status === 'violated')!;
    expect(checkCuts({ name: 'naive_mutex', model, result })).toEqual({ layout: 'table' });
  });

  test('a text not in the expected layout is left uncut', () => {
    expect(textSteps('gmemcheck: x violated\n1 step.\n\n 0  initial\n      a: 1\n', 1)).toBeNull();
    expect(raceRows('     P0\n  1  x', 1)).toBeNull();
    expect(raceRows('     P0\n     --\n  2  x', 1)).toBeNull();
  });
});
