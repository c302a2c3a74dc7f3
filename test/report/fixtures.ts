/**
 * Small models for the report tests, each exercising a part of the formats that the anchor
 * models do not: record states with Maps, Sets, bigints and nulls, threads and actors that
 * differ, a model's own `explain`, a lasso, a deadlock.
 */
import {
  always,
  check,
  eventually,
  sometimes,
  step,
  type Model,
  type Presentation,
  type PropertyResult,
} from '../../checker/index.ts';
import { naiveMutex } from '../../checker/examples/index.ts';

export type Pc = 'read' | 'write' | 'done';
export interface CounterState {
  counter: number;
  /** What each thread read, null before it reads. */
  local: (number | null)[];
  pc: Pc[];
  /** Per thread, the 64-bit sequence it last saw (a bigint, as a kernel model keeps u64). */
  seq: Map<string, bigint>;
  /** Threads that finished. */
  finished: Set<string>;
}
export interface CounterAction {
  op: 'load' | 'store';
  cpu: number;
}

/**
 * The lost update: two CPUs each load a shared counter, then store it plus one. Interleaved,
 * one increment is lost: `no-lost-update` is violated in 4 steps.
 */
export function lostUpdate(): Model<CounterState, CounterAction> {
  const cpus = [0, 1];
  return {
    name: 'lost_update',
    initStates: () => [
      {
        counter: 0,
        local: [null, null],
        pc: ['read', 'read'],
        seq: new Map([
          ['cpu0', 0n],
          ['cpu1', 0n],
        ]),
        finished: new Set(),
      },
    ],
    actions: () =>
      cpus.flatMap((cpu) => [
        { op: 'load' as const, cpu },
        { op: 'store' as const, cpu },
      ]),
    nextState(s, a) {
      const me = `cpu${a.cpu}`;
      if (a.op === 'load' && s.pc[a.cpu] === 'read') {
        return {
          ...s,
          local: s.local.map((v, i) => (i === a.cpu ? s.counter : v)),
          pc: s.pc.map((p, i) => (i === a.cpu ? 'write' : p)),
          seq: new Map([...s.seq, [me, 2n ** 60n + BigInt(s.counter)]]),
        };
      }
      if (a.op === 'store' && s.pc[a.cpu] === 'write') {
        return {
          ...s,
          counter: (s.local[a.cpu] ?? 0) + 1,
          pc: s.pc.map((p, i) => (i === a.cpu ? 'done' : p)),
          finished: new Set([...s.finished, me]),
        };
      }
      return undefined;
    },
    properties: [
      always('no-lost-update', (s) => s.finished.size < 2 || s.counter === 2),
      sometimes('both-finish', (s) => s.finished.size === 2),
      step('counter-only-grows', (prev, _a, next) => next.counter >= prev.counter),
    ],
    terminal: (s) => s.finished.size === 2,
    presentation: {
      formatAction: (a) =>
        a.op === 'load' ? `CPU${a.cpu}: tmp = READ_ONCE(counter)` : `CPU${a.cpu}: WRITE_ONCE(counter, tmp + 1)`,
      threadOf: (a) => `CPU${a.cpu}`,
      actorOf: () => 'kernel',
      explain: (property, s) =>
        property === 'no-lost-update' ? `both CPUs incremented, yet counter is ${s.counter}` : undefined,
    },
  };
}

/**
 * A counter that may go 0 -> 1 -> 0 forever and never reaches 2 on that path: `reaches-two`
 * is violated by a lasso. No threadOf, no actorOf, no formatAction: the defaults.
 */
export function flipFlop(): Model<number, string> {
  return {
    name: 'flip_flop',
    initStates: () => [0],
    actions: () => ['up', 'down'],
    nextState(s, a) {
      if (a === 'up' && s === 0) return 1;
      if (a === 'down' && s === 1) return 0;
      return undefined;
    },
    properties: [eventually('reaches-two', (s) => s === 2)],
  };
}

/** Two threads each take lock A then lock B in opposite orders: the deadlock is 2 steps away. */
export interface LocksState {
  holder: Record<'A' | 'B', string | null>;
  held: Record<string, string[]>;
}
export function abba(): Model<LocksState, { t: string; lock: 'A' | 'B' }> {
  const order: Record<string, ('A' | 'B')[]> = { T0: ['A', 'B'], T1: ['B', 'A'] };
  return {
    name: 'abba',
    initStates: () => [{ holder: { A: null, B: null }, held: { T0: [], T1: [] } }],
    actions: (s) =>
      Object.keys(order).flatMap((t) => {
        const next = order[t][s.held[t].length];
        return next ? [{ t, lock: next }] : [];
      }),
    nextState(s, a) {
      if (s.holder[a.lock] !== null) return undefined;
      return { holder: { ...s.holder, [a.lock]: a.t }, held: { ...s.held, [a.t]: [...s.held[a.t], a.lock] } };
    },
    terminal: (s) => s.held.T0.length === 2 || s.held.T1.length === 2,
    properties: [],
    presentation: {
      formatAction: (a) => `${a.t}: lock(${a.lock})`,
      threadOf: (a) => a.t,
    },
  };
}

/** One property's result from a full check of the model. */
export function verdictOf<S, A>(model: Model<S, A>, name: string, deadlock = false): PropertyResult<S, A> {
  const found = check(model, { deadlock }).properties.find((p) => p.name === name);
  if (!found) throw new Error(`${model.name} has no property ${name}`);
  return found;
}

/** A trace of each shape the reports handle: plain, record states, a witness, a lasso, a deadlock. */
export function traceCases(): { title: string; model: Model<any, any>; result: PropertyResult<any, any> }[] {
  return [
    {
      title: 'naive_mutex(2) mutual-exclusion',
      model: naiveMutex(2),
      result: verdictOf(naiveMutex(2), 'mutual-exclusion'),
    },
    {
      title: 'lost_update no-lost-update (Maps, Sets, bigints, nulls)',
      model: lostUpdate(),
      result: verdictOf(lostUpdate(), 'no-lost-update'),
    },
    {
      title: 'lost_update both-finish (a witness)',
      model: lostUpdate(),
      result: verdictOf(lostUpdate(), 'both-finish'),
    },
    { title: 'flip_flop reaches-two (a lasso)', model: flipFlop(), result: verdictOf(flipFlop(), 'reaches-two') },
    { title: 'abba deadlock', model: abba(), result: verdictOf(abba(), 'no-deadlock', true) },
  ];
}

/**
 * A model that only renders: the given presentation, and a violated trace of these actions (the
 * state after step i is i). For the layout of reports, where no exploration is needed.
 */
export function scripted<A>(
  name: string,
  property: string,
  presentation: Presentation<number, A>,
  actions: A[],
): { model: Model<number, A>; result: PropertyResult<number, A> } {
  const model: Model<number, A> = {
    name,
    initStates: () => [0],
    actions: () => [],
    nextState: () => undefined,
    properties: [],
    presentation,
  };
  const steps = [{ action: null, state: 0 }, ...actions.map((action, i) => ({ action, state: i + 1 }))];
  return { model, result: { name: property, kind: 'always', status: 'violated', trace: { steps } } };
}
