/**
 * gmemcheck diff: behaviours (views of reachable states) compared across designs. Counts are
 * pinned on a dedicated two-design lock (fixtures/lock-view.ts); the real guest_memfd specs
 * only back relations that hold whatever their size (a design equals itself; a buggy design's
 * new behaviours include its violating state).
 */
import { describe, expect, test } from 'vitest';
import { check } from '../../checker/explore/bfs.ts';
import { diffBehaviours } from '../../checker/diff/behaviours.ts';
import { compareDesigns } from '../../checker/diff/compare.ts';
import { reachedViews, viewOf } from '../../checker/diff/views.ts';
import type { Model } from '../../checker/model.ts';
import { checkThenSet, testAndSet } from './fixtures/lock-view.ts';
import { gmemcheck } from '../cli/gmemcheck.ts';

const asModel = (m: unknown) => m as Model<unknown, unknown>;
const tas = { design: 'test-and-set', model: asModel(testAndSet()) };
const cts = { design: 'check-then-set', model: asModel(checkThenSet()) };

describe('diff on the lock fixture', () => {
  test('check-then-set newly reaches exactly these fact sets, each with its shortest trace', () => {
    const c = compareDesigns(tas, cts, {}, 10);
    expect([c.fromStates, c.fromViews, c.toStates, c.toViews, c.comparedKeys]).toEqual([3, 3, 13, 13, 3]);
    expect(c.newInTo.newViews).toBe(10);
    expect(c.newInTo.shown.map((s) => [s.kind, s.facts, s.views, s.trace])).toEqual([
      ['fact', ['T0: saw the lock free'], 4, ['T0 check']],
      ['fact', ['T1: saw the lock free'], 4, ['T1 check']],
      ['pair', ['T0: inside', 'T1: inside'], 1, ['T0 check', 'T1 check', 'T0 set', 'T1 set']],
      ['pair', ['lock: free', 'T1: inside'], 1, ['T0 check', 'T1 check', 'T0 set', 'T1 set', 'T0 release']],
      ['pair', ['lock: free', 'T0: inside'], 1, ['T0 check', 'T1 check', 'T0 set', 'T1 set', 'T1 release']],
    ]);
    expect(c.newInFrom).toEqual({ newViews: 0, factSets: 0, shown: [] });
    expect(c.equal).toBe(false);
  });

  test('the converse direction swaps the sides', () => {
    const c = compareDesigns(cts, tas, {}, 1);
    expect(c.newInFrom.newViews).toBe(10);
    expect(c.newInFrom.factSets).toBe(5);
    expect(c.newInFrom.shown).toHaveLength(1);
    expect(c.newInTo.newViews).toBe(0);
  });

  test('a design compared with itself is equal', () => {
    const c = compareDesigns(cts, { design: 'check-then-set', model: asModel(checkThenSet()) });
    expect(c.equal).toBe(true);
    expect([c.newInTo.newViews, c.newInFrom.newViews, c.onlyFrom.length, c.onlyTo.length]).toEqual([0, 0, 0, 0]);
  });

  test('the violating state of check-then-set is a new behaviour, filed under a set it holds', () => {
    const violation = check(cts.model).properties[0].trace!;
    const last = viewOf(cts.model, violation.steps.at(-1)!.state).map((f) => f.text);
    const d = diffBehaviours(reachedViews(tas.model), reachedViews(cts.model));
    expect(d.newInTo.factSets.some((set) => set.facts.every((f) => last.includes(f)))).toBe(true);
  });

  test('a key one design alone names is listed apart and left out of the comparison', () => {
    const extra = Object.create(tas.model, {
      presentation: {
        value: {
          ...tas.model.presentation,
          view: (s: unknown) => [...tas.model.presentation!.view!(s), { key: 'owner', value: 'kept' }],
        },
      },
    }) as Model<unknown, unknown>;
    const c = compareDesigns(tas, { design: 'named', model: extra });
    expect(c.onlyTo).toEqual([{ key: 'owner', values: ['kept'] }]);
    expect([c.newInTo.newViews, c.newInFrom.newViews, c.equal]).toEqual([0, 0, false]);
  });
});

describe('diff on a guest_memfd spec (relations only: the model changes)', () => {
  const load = async () => (await import('../../specs/private-mapping-after-conversion.spec.ts')).default;

  test('upstream compared with itself is equal', async () => {
    const spec = await load();
    const c = compareDesigns(
      { design: 'upstream', model: spec.model('upstream') },
      { design: 'upstream', model: spec.model('upstream') },
      spec.options,
      0,
    );
    expect(c.complete).toBe(true);
    expect(c.equal).toBe(true);
  });

  test("no-invalidate-retry's new behaviours include the state where it breaks the property", async () => {
    const spec = await load();
    const buggy = spec.model('no-invalidate-retry');
    const result = check(buggy, { ...spec.options, symmetry: false });
    const broken = result.properties.find((p) => p.name === 'no-private-access-after-shared-conversion');
    expect(broken?.status).toBe('violated');
    const last = new Set(viewOf(buggy, broken!.trace!.steps.at(-1)!.state).map((f) => f.text));
    const d = diffBehaviours(reachedViews(spec.model('upstream'), spec.options), reachedViews(buggy, spec.options));
    expect(d.newInTo.newViews).toBeGreaterThan(0);
    expect(d.newInTo.factSets.some((set) => set.facts.every((f) => last.has(f)))).toBe(true);
  });
});

describe('gmemcheck diff', () => {
  const S = ['--specs', 'test/diff/fixtures/specs'];

  test('prints the new fact sets with their traces and exits 1 when the designs differ', async () => {
    const ran = await gmemcheck([
      'diff',
      'lock-view',
      ...S,
      '--from',
      'test-and-set',
      '--to',
      'check-then-set',
      '--show',
      '1',
    ]);
    expect(ran.stderr).toBe('');
    expect(ran.status).toBe(1);
    expect(ran.stdout).toContain(
      [
        'check-then-set reaches 10 views test-and-set does not, under 5 new fact sets:',
        '  1. a fact no state of test-and-set has (4 new views):',
        '       T0: saw the lock free',
        '     shortest trace, 1 step:',
        '       1  T0 check',
        '  ... and 4 more fact sets (--show N lists more)',
        '',
        'test-and-set reaches nothing check-then-set does not.',
        '',
        'test-and-set and check-then-set reach different behaviours.',
      ].join('\n'),
    );
  });

  test('--ignore leaves the matching keys out of both sides', async () => {
    const ran = await gmemcheck([
      'diff',
      'lock-view',
      ...S,
      '--from',
      'test-and-set',
      '--to',
      'check-then-set',
      '--ignore',
      '^T1$',
      '--show',
      '0',
    ]);
    expect(ran.status).toBe(1);
    expect(ran.stdout).toContain(
      'test-and-set -> check-then-set: 3 states (3 views) against 13 (6 views), compared on 2 fact keys\n',
    );
    expect(ran.stdout).toContain(
      'check-then-set reaches 3 views test-and-set does not, under 2 new fact sets:\n  ... and 2 more fact sets',
    );
  });

  test('exits 0 for a design compared with itself', async () => {
    const ran = await gmemcheck(['diff', 'lock-view', ...S, '--from', 'check-then-set', '--to', 'check-then-set']);
    expect(ran.status).toBe(0);
    expect(ran.stdout).toContain('check-then-set and check-then-set reach the same behaviours.');
  });

  test.each([
    [
      ['--from', 'test-and-set'],
      'gmemcheck: diff needs --to DESIGN (designs of lock-view: test-and-set, check-then-set)\n',
    ],
    [
      ['--from', 'test-and-set', '--to', 'cas'],
      'gmemcheck: spec "lock-view" has no design "cas" (designs: test-and-set, check-then-set)\n',
    ],
    [
      ['--from', 'test-and-set', '--to', 'check-then-set', '--show', 'x'],
      'gmemcheck: --show must be a positive integer, got "x" (e.g. --show 1)\n',
    ],
    [
      ['--from', 'test-and-set', '--to', 'check-then-set', '--ignore', '('],
      "gmemcheck: --ignore (: not a regular expression (Invalid regular expression: /(/: Unterminated group); e.g. --ignore '^CPU'\n",
    ],
  ])('bad input %j is one line, exit 2', async (args, message) => {
    const ran = await gmemcheck(['diff', 'lock-view', ...S, ...args]);
    expect([ran.status, ran.stderr]).toEqual([2, message]);
  });
});
