/** The CLI's pieces in process: cells and their verdicts, the tables, atomic writes, numbers. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { positiveInteger } from '../../checker/cli/args.ts';
import { count, countOf, stepsText } from '../../checker/counts.ts';
import { writeFileAtomic } from '../../checker/cli/atomic.ts';
import { UsageError } from '../../checker/cli/errors.ts';
import { formatProgress, progressLine } from '../../checker/cli/progress.ts';
import { traceFileName } from '../../checker/cli/trace-files.ts';
import { slug } from '../../checker/review/names.ts';
import { closest } from '../../checker/cli/suggest.ts';
import { validateSpec } from '../../checker/cli/specs.ts';
import { cellOf } from '../../checker/review/cells.ts';
import { table } from '../../checker/review/matrix.ts';
import type { CheckResult, PropertyResult } from '../../checker/index.ts';
import type { Spec } from '../../checker/spec.ts';

const spec = {
  title: 't',
  question: 'q',
  bounds: {},
  designs: ['d'],
  properties: ['inv', 'wit'],
  expected: { d: { inv: 'holds', wit: 'satisfied' } },
  model: () => {
    throw new Error('unused');
  },
} as unknown as Spec;
const trace = (steps: number) => ({
  steps: Array.from({ length: steps + 1 }, (_, i) => ({ action: i ? i : null, state: i })),
});
function result(properties: PropertyResult<unknown, unknown>[], complete = true): CheckResult<unknown, unknown> {
  return { complete, stoppedBy: complete ? undefined : 'timeLimit', properties } as CheckResult<unknown, unknown>;
}

describe('cells', () => {
  test('an outcome as expected reads plainly; one that differs is marked with the expectation', () => {
    const r = result([
      { name: 'inv', kind: 'always', status: 'violated', trace: trace(1) },
      { name: 'wit', kind: 'sometimes', status: 'satisfied', trace: trace(2) },
    ]);
    expect(cellOf(spec, 'd', r, 'inv')).toMatchObject({
      verdict: 'differs',
      steps: 1,
      text: '✗ violated (1 step; expected holds)',
    });
    expect(cellOf(spec, 'd', r, 'wit')).toMatchObject({ verdict: 'as expected', steps: 2, text: 'satisfied' });
  });

  test('holds and unsatisfied from a run stopped by a limit are inconclusive, never a mismatch', () => {
    const r = result(
      [
        { name: 'inv', kind: 'always', status: 'holds' },
        { name: 'wit', kind: 'sometimes', status: 'unsatisfied' },
      ],
      false,
    );
    expect(cellOf(spec, 'd', r, 'inv')).toMatchObject({ verdict: 'inconclusive', text: '? holds so far (time limit)' });
    expect(cellOf(spec, 'd', r, 'wit')).toMatchObject({
      verdict: 'inconclusive',
      text: '? unsatisfied so far (time limit)',
    });
  });

  test('a violation found by a run stopped by a limit is final', () => {
    const r = result([{ name: 'inv', kind: 'always', status: 'violated', trace: trace(6) }], false);
    expect(cellOf(spec, 'd', r, 'inv')).toMatchObject({
      verdict: 'differs',
      text: '✗ violated (6 steps; expected holds)',
    });
  });
});

describe('tables, names, numbers', () => {
  test('the terminal table pads each column to its widest cell', () => {
    expect(
      table([
        ['design', 'p'],
        ['upstream', '✗ holds (expected violated)'],
      ]),
    ).toEqual(['design   | p', '---------+----------------------------', 'upstream | ✗ holds (expected violated)']);
  });

  test('a mistyped name gets the closest candidate: swaps, a missing letter, an abbreviation; nothing far', () => {
    const designs = ['upstream', 'in-place', 'no-invalidate-retry', 'no-refcount-check'];
    expect(closest('upstraem', designs)).toBe('upstream');
    expect(closest('in-plae', designs)).toBe('in-place');
    expect(closest('no-inval', designs)).toBe('no-invalidate-retry');
    expect(closest('no', designs)).toBeUndefined();
    expect(closest('downstream', designs)).toBeUndefined();
  });

  test('trace file names are safe whatever the property says', () => {
    expect(slug('no private mapping after KVM_SET_MEMORY_ATTRIBUTES(shared)')).toBe(
      'no-private-mapping-after-kvm_set_memory_attributes-shared',
    );
    expect(traceFileName('conv', 'in-place', 'a / b', 'itf')).toBe('conv.in-place.a-b.itf.json');
  });

  test('a bound is a positive integer, or a one-line error with an example', () => {
    expect(positiveInteger({ depth: '20' }, 'depth')).toBe(20);
    expect(positiveInteger({}, 'depth')).toBeUndefined();
    for (const bad of ['0', '-1', '1e3', '2.5', ' 3', '', '99999999999999999999']) {
      expect(() => positiveInteger({ depth: bad }, 'depth')).toThrow(
        new UsageError(`--depth must be a positive integer, got "${bad}" (e.g. --depth 20)`),
      );
    }
  });

  test('the progress line rewrites one line and clears it; it is silent off a terminal', () => {
    const p = { distinctStates: 1234567, queue: 890, depth: 12, statesPerSecond: 250000.4, elapsedMs: 4900 };
    expect(formatProgress('spec / design', p)).toBe(
      '1,234,567 states, queue 890, depth 12, 250,000 states/s, 4.9 s  spec / design',
    );
    const written: string[] = [];
    const tty = { isTTY: true, columns: 40, write: (t: string) => written.push(t) };
    const shown = progressLine('s / d', tty, {});
    shown.onProgress?.(p);
    shown.done();
    expect(written).toEqual(['\r1,234,567 states, queue 890, depth 12, \x1b[K', '\r\x1b[K']);
    expect(progressLine('s / d', tty, { CI: 'true' }).onProgress).toBeUndefined();
    expect(progressLine('s / d', { ...tty, isTTY: false }, {}).onProgress).toBeUndefined();
  });
});

describe('spec shape', () => {
  const good = {
    title: 't',
    question: 'q',
    bounds: {},
    designs: ['a'],
    properties: ['p'],
    expected: { a: { p: 'holds' } },
    model: () => null,
  };
  test('a well-formed spec passes as it is', () => {
    expect(validateSpec(good, 'x.spec.ts')).toBe(good);
  });
  test('a design or property named twice is refused', () => {
    expect(() => validateSpec({ ...good, designs: ['a', 'a'] }, 'x.spec.ts')).toThrow(
      'x.spec.ts: "designs" names "a" twice; list each once',
    );
    expect(() => validateSpec({ ...good, properties: ['p', 'p'] }, 'x.spec.ts')).toThrow(
      'x.spec.ts: "properties" names "p" twice; list each once',
    );
  });
  test('an expectation that is not an outcome is refused', () => {
    expect(() => validateSpec({ ...good, expected: { a: { p: 'passes' } } }, 'x.spec.ts')).toThrow(
      'x.spec.ts: expected["a"]["p"] is "passes"; give one of holds, violated, satisfied, unsatisfied',
    );
  });
});

describe('atomic files', () => {
  test('a file is replaced whole and no temporary name is left', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gmemcheck-atomic-'));
    const path = join(dir, 'review.md');
    writeFileSync(path, 'old\n');
    writeFileAtomic(path, 'new\n'.repeat(10_000));
    expect(readFileSync(path, 'utf8')).toBe('new\n'.repeat(10_000));
    expect(readdirSync(dir)).toEqual(['review.md']);
  });

  test('a failed write leaves the old file and no temporary name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gmemcheck-atomic-'));
    expect(() => writeFileAtomic(join(dir, 'missing', 'review.md'), 'x')).toThrow(UsageError);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('counts', () => {
  test('whole, with thousands separators; the noun plural unless the count is one', () => {
    expect([count(263_056.4), count(0.6), count(999)]).toEqual(['263,056', '1', '999']);
    expect([countOf(0, 'walk'), countOf(1, 'walk'), countOf(1000, 'trace file')]).toEqual([
      '0 walks',
      '1 walk',
      '1,000 trace files',
    ]);
    expect([stepsText(1), stepsText(6)]).toEqual(['1 step', '6 steps']);
  });
});
