import { describe, expect, it } from 'vitest';
import type { Model } from '../../checker/index.ts';
import { parseSavedTrace, renderTrace, replaySaved } from '../../checker/report/index.ts';
import { flipFlop, lostUpdate, traceCases, verdictOf as verdict } from './fixtures.ts';
import { validateItf as validate } from './itf-schema.ts';

describe('ITF output', () => {
  for (const { title, model, result } of traceCases()) {
    describe(title, () => {
      const text = renderTrace('itf', model, result, {
        model: model.name,
        spec: 'example',
        design: 'default',
        bounds: { threads: 2 },
      });
      const doc = JSON.parse(text);

      it('validates against the ITF schema of ADR-015', () => {
        const ok = validate(doc);
        expect(validate.errors ?? []).toEqual([]);
        expect(ok).toBe(true);
      });

      it('has one ITF state per step, indexed in order, each holding every variable', () => {
        expect(doc.states.length).toBe(result.trace!.steps.length);
        expect(doc.states.map((s: { '#meta': { index: number } }) => s['#meta'].index)).toEqual(
          result.trace!.steps.map((_, i) => i),
        );
        for (const s of doc.states)
          expect(
            Object.keys(s)
              .filter((k) => k !== '#meta')
              .sort(),
          ).toEqual([...doc.vars].sort());
        expect(doc.vars[0]).toBe('action');
      });

      it('parses back to the same states and actions', () => {
        const saved = parseSavedTrace(text, 'trace.itf.json');
        expect(saved.states).toEqual(result.trace!.steps.map((s) => s.state));
        expect(saved.actions).toEqual(result.trace!.steps.slice(1).map((s) => s.action));
        expect(saved.initial).toEqual(result.trace!.steps[0].state);
        expect([
          saved.format,
          saved.model,
          saved.spec,
          saved.design,
          saved.property,
          saved.propertyKind,
          saved.status,
        ]).toEqual(['itf', model.name, 'example', 'default', result.name, result.kind, result.status]);
        expect(saved.bounds).toEqual({ threads: 2 });
        expect(saved.loopsBackTo).toBe(result.trace!.loopsBackTo);
      });

      it('replays on the model and reproduces the verdict', () => {
        const replayed = replaySaved(model, parseSavedTrace(text));
        expect(replayed.reproduces).toBe(true);
        expect(replayed.failedStep).toBe(undefined);
      });
    });
  }

  it('a record state becomes one ITF variable per field, the action a variable named action', () => {
    const model = lostUpdate();
    const doc = JSON.parse(renderTrace('itf', model, verdict(model, 'no-lost-update'), { model: model.name }));
    expect(doc.vars).toEqual(['action', 'counter', 'local', 'pc', 'seq', 'finished']);
    expect(doc.states[1]).toEqual({
      '#meta': { index: 1, text: 'tmp = READ_ONCE(counter)', thread: 'CPU0' },
      action: { op: 'load', cpu: 0 },
      counter: 0,
      local: [0, { '#unserializable': 'null' }],
      pc: ['write', 'read'],
      seq: {
        '#map': [
          ['cpu0', { '#bigint': '1152921504606846976' }],
          ['cpu1', { '#bigint': '0' }],
        ],
      },
      finished: { '#set': [] },
    });
  });

  it('a field that only some states have is a variable of every state, #unserializable "undefined" where it is missing', () => {
    const states: Record<string, unknown>[] = [{ a: 1 }, { a: 1, b: new Set([2n]) }, { b: new Set([2n]) }];
    const model: Model<Record<string, unknown>, string> = {
      name: 'grows',
      initStates: () => [states[0]],
      actions: () => [],
      nextState: () => undefined,
      properties: [],
    };
    const steps = states.map((state, i) => ({ action: i === 0 ? null : `step ${i}`, state }));
    const text = renderTrace(
      'itf',
      model,
      { name: 'p', kind: 'always', status: 'violated', trace: { steps } },
      { model: 'grows' },
    );
    const doc = JSON.parse(text);
    expect(doc.vars).toEqual(['action', 'a', 'b']);
    expect(doc.states[0].b).toEqual({ '#unserializable': 'undefined' });
    expect(validate(doc)).toBe(true);
    expect(parseSavedTrace(text).states).toEqual(states);
  });

  it("a lasso carries ITF's loop: the index of the state the trace loops back to", () => {
    const model = flipFlop();
    const doc = JSON.parse(renderTrace('itf', model, verdict(model, 'reaches-two'), { model: model.name }));
    expect([doc.loop, doc.vars, doc.states.map((s: { state: number }) => s.state)]).toEqual([
      0,
      ['action', 'state'],
      [0, 1, 0],
    ]);
  });

  it('the schema is not vacuous: it rejects a JSON null, an unknown tag, a number beyond 2^53, a trace without vars, non-string #meta', () => {
    const state = (v: unknown) => ({ vars: ['x'], states: [{ '#meta': { index: 0 }, x: v }] });
    expect([
      validate(state(null)),
      validate(state({ '#bag': [] })),
      validate(state(2 ** 60)),
      validate({ states: [] }),
      validate({ '#meta': { markedStep: 4 }, vars: [], states: [] }),
      validate({ vars: [], states: [{ '#meta': { index: 0, step: 1 } }] }),
      validate(state({ '#bigint': '123' })),
    ]).toEqual([false, false, false, false, false, false, true]);
  });
});
