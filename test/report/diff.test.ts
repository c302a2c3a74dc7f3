import { describe, expect, it } from 'vitest';
import { diff, formatChange, sameValue } from '../../checker/report/index.ts';

const lines = (a: unknown, b: unknown) => diff(a, b).map(formatChange);

describe("diff: only what changed, as paths from the state's root", () => {
  it('names a nested leaf by its path: vms[0].spte[1]: null -> {...}', () => {
    const before = { vms: [{ spte: [null, null], seq: 4 }] };
    const after = { vms: [{ spte: [null, { pfn: 16, private: true }], seq: 4 }] };
    expect(lines(before, after)).toEqual(['vms[0].spte[1]: null -> {pfn: 16, private: true}']);
  });

  it('reports 2 changes for 2 changed leaves and nothing for the unchanged ones', () => {
    expect(lines({ a: 1, b: { c: 2, d: 3 }, e: 'x' }, { a: 1, b: { c: 5, d: 3 }, e: 'y' })).toEqual([
      'b.c: 2 -> 5',
      'e: x -> y',
    ]);
  });

  it('an element added to a list reads "- -> value"; a key removed reads "value -> -"', () => {
    expect(lines({ held: ['A'] }, { held: ['A', 'B'] })).toEqual(['held[1]: - -> B']);
    expect(lines({ owner: 'T0', x: 1 }, { x: 1 })).toEqual(['owner: T0 -> -']);
  });

  it('Map entries are compared by key, whatever their insertion order', () => {
    const a = new Map<string, number>([
      ['x', 1],
      ['y', 2],
    ]);
    const b = new Map<string, number>([
      ['y', 3],
      ['x', 1],
    ]);
    expect(lines({ m: a }, { m: b })).toEqual(['m[y]: 2 -> 3']);
  });

  it('a Set reads whole, and Sets with the same members are equal in any order', () => {
    expect(lines({ s: new Set([1, 2]) }, { s: new Set([2, 3]) })).toEqual(['s: {1, 2} -> {2, 3}']);
    expect(diff({ s: new Set([1, 2]) }, { s: new Set([2, 1]) })).toEqual([]);
  });

  it('object key order and keys holding undefined do not count as changes', () => {
    expect(sameValue({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(sameValue({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 1, b: null })).toBe(false);
  });

  it('a change of kind (a number becoming a list, a whole state replaced) reads whole', () => {
    expect(lines({ x: 1 }, { x: [1] })).toEqual(['x: 1 -> [1]']);
    expect(lines(3, 4)).toEqual(['state: 3 -> 4']);
  });

  it('strings that could be read as another value keep their quotes', () => {
    expect(lines({ v: 'null' }, { v: 'two words' })).toEqual(['v: "null" -> "two words"']);
    expect(lines({ v: 1n }, { v: 2n })).toEqual(['v: 1n -> 2n']);
  });

  it('Maps keyed by records match keys structurally (the path spells the key as the new state does)', () => {
    const a = new Map([[{ vm: 0, gfn: 1 }, 'private']]);
    const b = new Map([[{ gfn: 1, vm: 0 }, 'shared']]);
    expect(lines(a, b)).toEqual(['[{gfn: 1, vm: 0}]: private -> shared']);
  });
});
