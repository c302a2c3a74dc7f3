import { describe, expect, it } from 'vitest';
import { produce } from '../../src/draft.ts';
import { DRAFT_FIELDS, type GmemState } from '../../src/state.ts';
import { designs, gmemModel } from '../../src/index.ts';
import { walk } from './walk.ts';

const deepFrozen = (x: unknown): boolean =>
  typeof x !== 'object' || x === null || (Object.isFrozen(x) && Object.values(x).every(deepFrozen));

describe('produce (src/draft.ts)', () => {
  const base = produce({ a: [{ n: 1 }, { n: 2 }], b: { m: [3] }, c: 4 }, () => {});

  it('freezes fresh data deeply and gives the base back when a step changes nothing', () => {
    expect(deepFrozen(base)).toBe(true);
    expect(produce(base, (d) => void d.a[0].n)).toBe(base);
    expect(
      produce(base, (d) => {
        d.a[1].n = 2;
        d.c = 4;
      }),
    ).toBe(base);
  });

  it('copies only what changed: untouched and equal parts are the base objects', () => {
    const next = produce(base, (d) => {
      d.a[1].n = 5;
    });
    expect(next).toEqual({ a: [{ n: 1 }, { n: 5 }], b: { m: [3] }, c: 4 });
    expect(base.a[1].n).toBe(2);
    expect(next.b).toBe(base.b);
    expect(next.a[0]).toBe(base.a[0]);
    expect(next.a).not.toBe(base.a);
    expect(deepFrozen(next)).toBe(true);
  });

  it('takes whole new values, and a value put back as it was is the base part again', () => {
    const next = produce(base, (d) => {
      d.b = { m: [3, 6] };
      d.a.push({ n: 7 });
      d.a.pop();
    });
    expect(next.b).toEqual({ m: [3, 6] });
    expect(next.a).toBe(base.a);
    expect(deepFrozen(next)).toBe(true);
  });

  it('refuses a recipe that returns a value instead of writing into the draft', () => {
    expect(() => produce(base, () => ({ c: 1 }) as never)).toThrow(/write into the draft/);
  });
});

describe("a state's own field copies (state.ts DRAFT_FIELDS)", () => {
  // Every design, a few hundred steps each: the copies must keep every field (the hugetlb
  // designs' optional ones included) and give the base back where nothing changed.
  it('copy every field, and settle an unchanged copy back to the base', () => {
    let checked = 0;
    for (const [name, design] of Object.entries(designs)) {
      const m = gmemModel({ design, bounds: { pages: 2, inFlight: 2, vms: 2 } });
      const choices = Array.from({ length: 40 }, (_, i) => (i * 7 + name.length) % 11);
      walk(m, choices, (_prev, _a, s) => {
        for (const [key, field] of Object.entries(DRAFT_FIELDS)) {
          const base = s[key as keyof GmemState];
          const copy = field.thaw(base);
          expect(copy).toStrictEqual(base);
          expect(copy).not.toBe(base);
          expect(field.settle(copy, base)).toBe(base);
          checked++;
        }
      });
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('keep what a step changed and share what it did not', () => {
    const m = gmemModel({ design: designs.upstream, bounds: { pages: 2 } });
    const s = [...m.initStates()][0];
    const vms = DRAFT_FIELDS.vms!;
    const copy = vms.thaw(s.vms) as { seq: number; spte: unknown[] }[];
    copy[0].seq = 7;
    const next = vms.settle(copy, s.vms) as GmemState['vms'];
    expect(next).not.toBe(s.vms);
    expect(next[0].seq).toBe(7);
    expect(next[0].spte).toBe(s.vms[0].spte);
    expect(next[0].slots).toBe(s.vms[0].slots);
  });
});
