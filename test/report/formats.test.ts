import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { naiveMutex } from '../../checker/examples/index.ts';
import { actionNameOf, formatActionOf } from '../../checker/format.ts';
import { renderTrace, TOOL_VERSION, traceFormats } from '../../checker/report/index.ts';
import { abba, flipFlop, lostUpdate, scripted, traceCases, verdictOf as verdict } from './fixtures.ts';
import { mermaidSequenceErrors } from './mermaid-grammar.ts';

describe('naive_mutex(2): the 4-step mutual-exclusion violation', () => {
  const model = naiveMutex(2);
  const result = verdict(model, 'mutual-exclusion');
  const ctx = { model: model.name, bounds: { processes: 2 } };

  it('is a trace of 4 steps, alternating P0, P1, P0, P1', () => {
    expect(result.trace!.steps.map((s) => s.action)).toEqual([null, 0, 1, 0, 1]);
  });

  it('race: one column per process, time going down, step 4 marked', () => {
    expect(renderTrace('race', model, result, ctx)).toMatchInlineSnapshot(`
      "gmemcheck: mutual-exclusion violated (model: naive_mutex(2))
      4 steps. Bounds: processes=2.

           P0    P1
           --    --
        1  P0
        2        P1
        3  P0
        4        P1   <== violated: mutual-exclusion
      "
    `);
  });

  it('text: the initial state in full, then only what each step changed, the property named at the end', () => {
    expect(renderTrace('text', model, result, ctx)).toMatchInlineSnapshot(`
      "gmemcheck: mutual-exclusion violated (model: naive_mutex(2))
      4 steps. Bounds: processes=2.

       0  initial  [0, 0, 0, 0]
       1  P0       [2]: 0 -> 1
       2  P1       [3]: 0 -> 1
       3  P0       [0]: 0 -> 1
                   [2]: 1 -> 2
       4  P1       [1]: 0 -> 1
                   [3]: 1 -> 2
          violated: mutual-exclusion — false in the state after step 4
      "
    `);
  });

  it('mermaid: a sequenceDiagram with a participant per process and the breaking step in a red rect', () => {
    const diagram = renderTrace('mermaid', model, result, ctx);
    expect(mermaidSequenceErrors(diagram)).toEqual([]);
    expect(diagram).toMatchInlineSnapshot(`
      "sequenceDiagram
        title mutual-exclusion violated (model: naive_mutex(2))
        autonumber
        participant A0 as P0
        participant A1 as P1
        A0->>A0: P0
        Note right of A0: [2]: 0 → 1
        A1->>A1: P1
        Note right of A1: [3]: 0 → 1
        A0->>A0: P0
        Note right of A0: [0]: 0 → 1<br/>[2]: 1 → 2
        rect rgb(255, 221, 221)
        A1->>A1: P1
        Note right of A1: [1]: 0 → 1<br/>[3]: 1 → 2
        Note over A1: violated: mutual-exclusion — false in the state after step 4
        end
      "
    `);
  });
});

describe('a model with record states, its own formatAction, threadOf, actorOf and explain', () => {
  const model = lostUpdate();
  const lost = verdict(model, 'no-lost-update');
  const ctx = { model: model.name };

  it("race: the two CPUs in columns CPU0 and CPU1, the thread name not repeated in the cells, the model's sentence at the mark", () => {
    expect(renderTrace('race', model, lost, ctx)).toMatchInlineSnapshot(`
      "gmemcheck: no-lost-update violated (model: lost_update)
      4 steps.

           CPU0                            CPU1
           ----------------------------    ----------------------------
        1  tmp = READ_ONCE(counter)
        2                                  tmp = READ_ONCE(counter)
        3  WRITE_ONCE(counter, tmp + 1)
        4                                  WRITE_ONCE(counter, tmp + 1)   <== violated: both CPUs
                                           incremented, yet counter is 1
      "
    `);
  });

  it('text: a step lists exactly the paths it changed, Maps, Sets and bigints included', () => {
    const text = renderTrace('text', model, lost, ctx);
    const lines = text.split('\n');
    const step3 = lines.findIndex((l) => l.startsWith(' 3  CPU0 WRITE_ONCE'));
    expect(lines.slice(step3, step3 + 3).map((l) => l.slice(39))).toEqual([
      'counter: 0 -> 1',
      'pc[0]: write -> done',
      'finished: Set{} -> {cpu0}',
    ]);
    const step1 = lines.findIndex((l) => l.startsWith(' 1  CPU0'));
    expect(lines[step1 + 2].slice(39)).toBe('seq[cpu0]: 0n -> 1152921504606846976n');
    expect(lines.at(-2)).toBe('    violated: no-lost-update — both CPUs incremented, yet counter is 1');
  });

  it('mermaid: the actor (kernel) is the participant and each message starts with its thread', () => {
    const diagram = renderTrace('mermaid', model, lost, ctx);
    expect(mermaidSequenceErrors(diagram)).toEqual([]);
    expect(diagram.split('\n').filter((l) => l.includes('participant'))).toEqual(['  participant A0 as kernel']);
    expect(diagram.split('\n').filter((l) => l.includes('->>'))).toEqual([
      '  A0->>A0: CPU0 tmp = READ_ONCE(counter)',
      '  A0->>A0: CPU1 tmp = READ_ONCE(counter)',
      '  A0->>A0: CPU0 WRITE_ONCE(counter, tmp + 1)',
      '  A0->>A0: CPU1 WRITE_ONCE(counter, tmp + 1)',
    ]);
  });

  it("a sometimes property's trace is marked as a witness, not a violation", () => {
    const both = verdict(model, 'both-finish');
    expect(both.status).toBe('satisfied');
    expect(renderTrace('race', model, both, ctx).split('\n').at(-2)).toMatch(/<== witness: both-finish$/);
    expect(renderTrace('text', model, both, ctx).split('\n').at(-2)).toBe(
      '    witness: both-finish — holds in the state after step 4',
    );
  });

  it('explain is asked only why a property fails: a witness keeps the generic sentence, and undefined is no explanation', () => {
    const asked: string[] = [];
    const chatty = {
      ...model,
      presentation: { ...model.presentation, explain: (property: string) => void asked.push(property) },
    };
    const both = verdict(model, 'both-finish');
    expect(renderTrace('text', chatty, both, ctx).split('\n').at(-2)).toBe(
      '    witness: both-finish — holds in the state after step 4',
    );
    expect(renderTrace('text', chatty, lost, ctx).split('\n').at(-2)).toBe(
      '    violated: no-lost-update — false in the state after step 4',
    );
    expect(asked).toEqual(['no-lost-update']);
  });

  it('a property that holds renders one line in the human formats and a document without steps in json', () => {
    const grows = verdict(model, 'counter-only-grows');
    expect(renderTrace('race', model, grows, ctx)).toBe(
      'gmemcheck: counter-only-grows holds (model: lost_update): no reachable state or transition falsifies it\n',
    );
    expect(JSON.parse(renderTrace('json', model, grows, ctx)).steps).toEqual([]);
  });
});

describe('models without formatAction, threadOf or actorOf read through the defaults', () => {
  it('an action reads as compact JSON and its coverage name is that text: no field of the action is taken for its name', () => {
    const bare = scripted<{ type: string; n: number }>('bare', 'p', {}, []).model;
    expect([formatActionOf(bare, { type: 'inc', n: 1 }), actionNameOf(bare, { type: 'inc', n: 1 })]).toEqual([
      '{"type":"inc","n":1}',
      '{"type":"inc","n":1}',
    ]);
    const steps = scripted<{ op: string; step: string }>(
      'steps',
      'p',
      { stepOf: (a) => ({ operation: a.op, step: a.step }) },
      [],
    ).model;
    expect([
      formatActionOf(steps, { op: 'fault', step: 'map' }),
      actionNameOf(steps, { op: 'fault', step: 'map' }),
    ]).toEqual(['fault: map', 'fault']);
  });

  it('a lasso: one column named after the model, actions as compact JSON, "loops back to step 0"', () => {
    const model = flipFlop();
    const result = verdict(model, 'reaches-two');
    expect(result.trace!.loopsBackTo).toBe(0);
    expect(renderTrace('race', model, result, { model: model.name })).toMatchInlineSnapshot(`
      "gmemcheck: reaches-two violated (model: flip_flop)
      2 steps.

           flip_flop
           ---------
        1  up
        2  down   <== violated: reaches-two
           (the last state loops back to step 0, forever)
      "
    `);
    expect(renderTrace('text', model, result, { model: model.name }).split('\n').slice(-4)).toEqual([
      ' 2  down     state: 1 -> 0',
      '    loops back to step 0',
      '    violated: reaches-two — never holds on this path, which loops back to step 0 forever',
      '',
    ]);
    expect(mermaidSequenceErrors(renderTrace('mermaid', model, result, { model: model.name }))).toEqual([]);
  });

  it('a deadlock: the step that leaves no thread able to move is marked "deadlock"', () => {
    const model = abba();
    const result = verdict(model, 'no-deadlock', true);
    expect(renderTrace('race', model, result, { model: model.name })).toMatchInlineSnapshot(`
      "gmemcheck: deadlock found (model: abba)
      2 steps.

           T0         T1
           -------    -------
        1  lock(A)
        2             lock(B)   <== deadlock: no action is enabled after step 2, and the model does not
                                              call that state terminal
      "
    `);
    expect(mermaidSequenceErrors(renderTrace('mermaid', model, result, { model: model.name }))).toEqual([]);
  });
});

describe('every format renders every anchor and fixture trace', () => {
  it('renders 5 formats for each of the 5 traces, each ending in a newline, every diagram passing the grammar check', () => {
    const rendered = traceCases().flatMap(({ model, result }) =>
      traceFormats.map((f) => renderTrace(f, model, result, { model: model.name })),
    );
    expect(rendered.length).toBe(25);
    expect(rendered.filter((t) => t.endsWith('\n')).length).toBe(25);
    const diagrams = rendered.filter((t) => t.startsWith('sequenceDiagram'));
    expect(diagrams.length).toBe(5);
    expect(diagrams.flatMap(mermaidSequenceErrors)).toEqual([]);
  });

  it("the tool version written into saved traces is package.json's", () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(TOOL_VERSION).toBe(pkg.version);
  });
});

describe('the Mermaid grammar check is not vacuous', () => {
  it('rejects a raw semicolon, an undeclared participant, an unclosed rect and a bad first line', () => {
    expect(mermaidSequenceErrors('sequenceDiagram\n  participant A0\n  A0->>A0: a; b\n')).toEqual([
      'line 3: not a sequenceDiagram statement: A0->>A0: a; b',
    ]);
    expect(mermaidSequenceErrors('sequenceDiagram\n  A0->>A1: hi\n')).toEqual([
      'line 2: A0 is not a declared participant',
      'line 2: A1 is not a declared participant',
    ]);
    expect(mermaidSequenceErrors('sequenceDiagram\n  participant A0\n  rect rgb(1, 2, 3)\n  A0->>A0: x\n')).toEqual([
      '1 block(s) not closed by end',
    ]);
    expect(mermaidSequenceErrors('graph TD\n')).toEqual(['the first line must be sequenceDiagram']);
  });
});

describe('race: actions the presentation names as steps of operations name their operation once', () => {
  const { model, result } = scripted(
    'ops',
    'no-stale-spte',
    {
      stepOf: (a: { cpu: number; op: string; step: string }) => ({ operation: a.op, step: a.step }),
      threadOf: (a) => `CPU${a.cpu}`,
    },
    [
      { cpu: 0, op: 'fault gfn 0x1', step: 'snapshot mmu_seq' },
      { cpu: 0, op: 'fault gfn 0x1', step: 'kvm_gmem_get_pfn' },
      { cpu: 1, op: 'PUNCH_HOLE [0x0, 0x2)', step: 'invalidate begin' },
      { cpu: 0, op: 'fault gfn 0x1', step: 'install SPTE' },
      { cpu: 0, op: 'fault gfn 0x0', step: 'snapshot mmu_seq' },
    ],
  );

  it("in the column heading for a thread's first operation, in a line of its own for a later one", () => {
    expect(renderTrace('race', model, result, { model: 'ops' })).toMatchInlineSnapshot(`
      "gmemcheck: no-stale-spte violated (model: ops)
      5 steps.

           CPU0: fault gfn 0x1    CPU1: PUNCH_HOLE [0x0, 0x2)
           -------------------    ---------------------------
        1  snapshot mmu_seq
        2  kvm_gmem_get_pfn
        3                         invalidate begin
        4  install SPTE
           fault gfn 0x0:
        5  snapshot mmu_seq   <== violated: no-stale-spte
      "
    `);
  });
});

describe('mermaid: a thread that moves between actors draws calls and returns', () => {
  const { model, result } = scripted(
    'calls',
    'p',
    {
      formatAction: (a: { cpu: number; actor: string; step: string }) => a.step,
      threadOf: (a) => `CPU${a.cpu}`,
      actorOf: (a) => a.actor,
    },
    [
      { cpu: 0, actor: 'KVM', step: 'fault' },
      { cpu: 0, actor: 'guest_memfd', step: 'kvm_gmem_get_pfn' },
      { cpu: 0, actor: 'arch', step: 'rmp_make_private' },
      { cpu: 1, actor: 'userspace', step: 'ioctl' },
      { cpu: 0, actor: 'KVM', step: 'install SPTE' },
    ],
  );

  it('a call to a new actor is solid, a return down the stack is dotted, another thread starts on its own', () => {
    const diagram = renderTrace('mermaid', model, result, { model: 'calls' });
    expect(mermaidSequenceErrors(diagram)).toEqual([]);
    expect(diagram.split('\n').filter((l) => l.includes('>>'))).toEqual([
      '  A0->>A0: CPU0 fault',
      '  A0->>A1: CPU0 kvm_gmem_get_pfn',
      '  A1->>A2: CPU0 rmp_make_private',
      '  A3->>A3: CPU1 ioctl',
      '  A2-->>A0: CPU0 install SPTE',
    ]);
  });
});
