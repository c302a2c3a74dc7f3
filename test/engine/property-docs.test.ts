/**
 * A property's documentation (why, where) travels with it: the constructors keep what they are
 * given and add nothing when given nothing; the review reads it from the spec's models.
 */
import { describe, expect, it } from 'vitest';
import { always, eventually, sometimes, step, type Model, type Property } from '../../checker/index.ts';
import { NO_DEADLOCK_DOC, propertyDocs } from '../../checker/review/docs.ts';

const doc = { why: 'two writers corrupt the counter', where: 'counter.c inc() under counter_lock' };
const fields = (p: Property<number, string>) => ({
  kind: p.kind,
  name: p.name,
  why: p.why,
  where: p.where,
  keys: Object.keys(p),
});

describe('property documentation', () => {
  it('every constructor keeps why and where, given as its last argument', () => {
    const built = [
      always<number, string>('a', (s) => s >= 0, doc),
      sometimes<number, string>('s', (s) => s > 1, doc),
      eventually<number, string>('e', (s) => s === 2, doc),
      step<number, string>('t', (prev, _a, next) => next >= prev, doc),
    ];
    expect(built.map(fields)).toEqual(
      ['always', 'sometimes', 'eventually', 'step'].map((kind, i) => ({
        kind,
        name: 'aset'[i],
        ...doc,
        keys: ['kind', 'name', 'holds', 'why', 'where'],
      })),
    );
    expect(built[3].kind === 'step' && built[3].holds(1, 'x', 2)).toBe(true);
    expect(fields(always('only why', () => true, { why: 'w' }))).toEqual({
      kind: 'always',
      name: 'only why',
      why: 'w',
      where: undefined,
      keys: ['kind', 'name', 'holds', 'why'],
    });
  });

  it('a property built without docs is the same plain object as before: kind, name, holds', () => {
    expect(Object.keys(always('a', () => true))).toEqual(['kind', 'name', 'holds']);
    expect(Object.keys(step('t', () => true, {}))).toEqual(['kind', 'name', 'holds']);
  });

  const model = (name: string, properties: Property<number, string>[]): Model<unknown, unknown> =>
    ({ name, initStates: () => [0], actions: () => [], nextState: () => undefined, properties }) as unknown as Model<
      unknown,
      unknown
    >;

  it("the review takes each property's docs from the first design that has them, in the spec's order", () => {
    const bare = model('bare', [always('a', () => true), sometimes('s', () => true)]);
    const documented = model('documented', [
      sometimes('s', () => true, { why: 'reachable' }),
      always('a', () => true, doc),
    ]);
    expect(propertyDocs([bare, documented], ['a', 's'])).toEqual({ a: doc, s: { why: 'reachable' } });
    expect(Object.keys(propertyDocs([bare, documented], ['s', 'a']))).toEqual(['s', 'a']);
  });

  it("no docs at all: none, not even for the deadlock check; otherwise the deadlock check reads the engine's sentence", () => {
    const bare = model('bare', [always('a', () => true)]);
    expect(propertyDocs([bare], ['a', 'no-deadlock'])).toEqual({});
    const documented = model('documented', [always('a', () => true, doc)]);
    expect(propertyDocs([documented], ['no-deadlock', 'a'])).toEqual({ 'no-deadlock': NO_DEADLOCK_DOC, a: doc });
  });
});
