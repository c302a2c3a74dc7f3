import { describe, expect, it } from 'vitest';
import type { Model } from '../../checker/index.ts';
import { parseSavedTrace, renderTrace, replaySaved, TraceFileError } from '../../checker/report/index.ts';
import { lostUpdate, traceCases, verdictOf, type CounterAction, type CounterState } from './fixtures.ts';

const savedFormats = ['json', 'itf'] as const;

describe('replay of every format that carries a trace reproduces the verdict', () => {
  for (const { title, model, result } of traceCases()) {
    for (const format of savedFormats) {
      it(`${title}, saved as ${format}`, () => {
        const text = renderTrace(format, model, result, { model: model.name, spec: 'example', design: 'default' });
        const saved = parseSavedTrace(text, `trace.${format}`);
        expect(saved.states).toEqual(result.trace!.steps.map((s) => s.state));
        expect(saved.actions).toEqual(result.trace!.steps.slice(1).map((s) => s.action));
        expect(replaySaved(model, saved)).toMatchObject({ reproduces: true });
      });
    }
  }

  it('says what it reproduced, with the step', () => {
    const model = lostUpdate();
    const saved = parseSavedTrace(
      renderTrace('json', model, verdictOf(model, 'no-lost-update'), { model: model.name, design: 'buggy' }),
    );
    expect(replaySaved(model, saved)).toEqual({
      reproduces: true,
      message: 'no-lost-update (json trace of lost_update, design buggy) reproduces: violated after step 4',
    });
  });
});

describe("a saved trace that today's model no longer follows is reported with the step number", () => {
  const original = lostUpdate();
  const lost = verdictOf(original, 'no-lost-update');
  const savedAs = (format: 'json' | 'itf') =>
    parseSavedTrace(renderTrace(format, original, lost, { model: original.name }));
  const variant = (nextState: Model<CounterState, CounterAction>['nextState']): Model<CounterState, CounterAction> => ({
    ...original,
    nextState,
  });

  for (const format of savedFormats) {
    it(`${format}: an action no longer enabled (CPU1's store now refused) fails at step 4`, () => {
      const fixed = variant((s, a) => (a.cpu === 1 && a.op === 'store' ? undefined : original.nextState(s, a)));
      expect(replaySaved(fixed, savedAs(format))).toEqual({
        reproduces: false,
        failedStep: 4,
        message: `no-lost-update (${format} trace of lost_update) no longer replays on lost_update: step 4: CPU1: WRITE_ONCE(counter, tmp + 1) is not enabled in this state (this model is not the one the trace was saved from: it changed, or it is another design)`,
      });
    });
  }

  it('a step that now reaches another state fails at that step, saying what differs', () => {
    const doubled = variant((s, a) => {
      const next = original.nextState(s, a);
      return next && a.op === 'store' ? { ...next, counter: next.counter + 1 } : next;
    });
    expect(replaySaved(doubled, savedAs('json'))).toEqual({
      reproduces: false,
      failedStep: 3,
      message:
        'no-lost-update (json trace of lost_update) replays on lost_update, but step 3 (CPU0: WRITE_ONCE(counter, tmp + 1)) reaches another state than the saved one: counter: 1 -> 2',
    });
  });

  it('a trace whose property now holds at the end does not reproduce', () => {
    const relaxed: Model<CounterState, CounterAction> = {
      ...original,
      properties: original.properties.map((p) => (p.name === 'no-lost-update' ? { ...p, holds: () => true } : p)),
    };
    expect(replaySaved(relaxed, savedAs('itf'))).toEqual({
      reproduces: false,
      failedStep: 4,
      message: 'no-lost-update (itf trace of lost_update) replays, but no-lost-update now holds after step 4',
    });
  });

  it('a trace of a property the model no longer has does not reproduce, and the message lists the properties', () => {
    const renamed: Model<CounterState, CounterAction> = { ...original, properties: original.properties.slice(1) };
    expect(replaySaved(renamed, savedAs('json'))).toEqual({
      reproduces: false,
      message: 'lost_update has no property no-lost-update (its properties: both-finish, counter-only-grows)',
    });
  });

  it('an initial state the model no longer starts from fails at step 0', () => {
    const restarted: Model<CounterState, CounterAction> = {
      ...original,
      initStates: () => [...original.initStates()].map((s) => ({ ...s, counter: 10 })),
    };
    expect(replaySaved(restarted, savedAs('itf'))).toMatchObject({ reproduces: false, failedStep: 0 });
  });
});

describe('parseSavedTrace refuses what it cannot replay, in one line that says what to do', () => {
  const oneLine = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(TraceFileError);
      expect((e as Error).message.includes('\n')).toBe(false);
      return (e as Error).message;
    }
    throw new Error('expected a TraceFileError');
  };

  it('not JSON', () => {
    expect(oneLine(() => parseSavedTrace('{"vars": [', 'bad.json'))).toMatch(
      /^bad\.json: is not JSON \(.*\); give a trace written by gmemcheck check --format json or --format itf$/,
    );
  });

  it('JSON of another kind', () => {
    expect(oneLine(() => parseSavedTrace('[1, 2]', 'x.json'))).toBe(
      'x.json: is not a trace (a JSON object is expected); give a file written by --format json or --format itf',
    );
    expect(oneLine(() => parseSavedTrace('{"hello": 1}', 'x.json'))).toBe(
      'x.json: is neither a gmemcheck json trace (format "gmemcheck-trace") nor an ITF trace (vars, states); give a file written by --format json or --format itf',
    );
  });

  it('an ITF trace from another tool (no model, no property to replay)', () => {
    const quint = JSON.stringify({
      '#meta': { format: 'ITF', source: 'bank.qnt' },
      vars: ['x'],
      states: [{ '#meta': { index: 0 }, x: { '#bigint': '1' } }],
    });
    expect(oneLine(() => parseSavedTrace(quint, 'bank.itf.json'))).toBe(
      'bank.itf.json: this ITF trace was not written by gmemcheck (its #meta names no model nor property); replay needs gmemcheck check --format itf',
    );
  });

  it('an edited ITF trace: states out of order, a bad tag', () => {
    const model = lostUpdate();
    const doc = JSON.parse(renderTrace('itf', model, verdictOf(model, 'no-lost-update'), { model: model.name }));
    const swapped = { ...doc, states: [doc.states[0], doc.states[2], doc.states[1], ...doc.states.slice(3)] };
    expect(oneLine(() => parseSavedTrace(JSON.stringify(swapped), 't.itf'))).toBe(
      't.itf: states[1] has #meta.index 2; the states are out of order or some are missing',
    );
    const badTag = structuredClone(doc);
    badTag.states[1].seq = { '#bigint': 'x' };
    expect(oneLine(() => parseSavedTrace(JSON.stringify(badTag), 't.itf'))).toBe(
      't.itf: states[1].seq: #bigint must be a string of digits, not "x"; the file was edited or was not written by gmemcheck',
    );
  });

  it('a json trace of a property that holds has nothing to replay', () => {
    const model = lostUpdate();
    const holds = renderTrace('json', model, verdictOf(model, 'counter-only-grows'), { model: model.name });
    expect(oneLine(() => parseSavedTrace(holds, 'h.json'))).toBe(
      'h.json: carries no trace (counter-only-grows holds); only a violated or satisfied property has one to replay',
    );
  });
});
