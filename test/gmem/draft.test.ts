import { describe, expect, it } from 'vitest';
import { produce } from '../../src/draft.ts';

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
