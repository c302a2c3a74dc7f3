/**
 * A presentation's `view`: the text and Mermaid reports diff it instead of the raw state; JSON and ITF
 * keep the raw state (they replay). Also the line breaking that keeps race diagrams narrow.
 */
import { describe, expect, it } from 'vitest';
import type { Fact, Model } from '../../checker/index.ts';
import { renderTrace } from '../../checker/report/index.ts';
import { viewDiff, formatViewChange } from '../../checker/report/changes.ts';
import { wrapText } from '../../checker/report/wrap.ts';
import { lostUpdate, verdictOf, type CounterAction, type CounterState } from './fixtures.ts';
import { mermaidSequenceErrors } from './mermaid-grammar.ts';

/** The lost update, seen as a kernel person names it: the counter, and each CPU with its local. */
function viewedLostUpdate(): Model<CounterState, CounterAction> {
  const model = lostUpdate();
  return {
    ...model,
    presentation: {
      ...model.presentation,
      view(s) {
        const facts: Fact[] = [{ key: 'counter', value: String(s.counter) }];
        s.pc.forEach((pc, cpu) => {
          facts.push({ key: `CPU${cpu}`, value: pc === 'read' ? 'idle' : pc === 'write' ? 'incrementing' : 'done' });
          if (s.local[cpu] !== null && pc === 'write')
            facts.push({ key: `CPU${cpu}.tmp`, value: String(s.local[cpu]), parent: `CPU${cpu}` });
        });
        return facts;
      },
    },
  };
}

describe('a model with a view', () => {
  const model = viewedLostUpdate();
  const lost = verdictOf(model, 'no-lost-update');

  it('text: the initial state as its facts, each step as the facts it changed; a detail goes with its object', () => {
    expect(renderTrace('text', model, lost, { model: model.name })).toMatchInlineSnapshot(`
      "gmemcheck: no-lost-update violated (model: lost_update)
      4 steps.

       0  initial                            counter: 0
                                             CPU0: idle
                                             CPU1: idle
       1  CPU0 tmp = READ_ONCE(counter)      CPU0: idle -> incrementing
                                             CPU0.tmp: none -> 0
       2  CPU1 tmp = READ_ONCE(counter)      CPU1: idle -> incrementing
                                             CPU1.tmp: none -> 0
       3  CPU0 WRITE_ONCE(counter, tmp + 1)  counter: 0 -> 1
                                             CPU0: incrementing -> done
       4  CPU1 WRITE_ONCE(counter, tmp + 1)  CPU1: incrementing -> done
          violated: no-lost-update — both CPUs incremented, yet counter is 1
      "
    `);
  });

  it("mermaid: the notes are the view's changes, arrows written →, and the diagram passes the grammar check", () => {
    const diagram = renderTrace('mermaid', model, lost, { model: model.name });
    expect(mermaidSequenceErrors(diagram)).toEqual([]);
    expect(diagram.split('\n').filter((l) => l.includes('Note right'))).toEqual([
      '  Note right of A0: CPU0: idle → incrementing<br/>CPU0.tmp: none → 0',
      '  Note right of A0: CPU1: idle → incrementing<br/>CPU1.tmp: none → 0',
      '  Note right of A0: counter: 0 → 1<br/>CPU0: incrementing → done',
      '  Note right of A0: CPU1: incrementing → done',
    ]);
  });

  it('json and itf keep the raw states, which replay', () => {
    const json = JSON.parse(renderTrace('json', model, lost, { model: model.name }));
    expect(JSON.stringify(json)).not.toContain('incrementing');
    const itf = JSON.parse(renderTrace('itf', model, lost, { model: model.name }));
    expect(itf.vars).toEqual(['action', 'counter', 'local', 'pc', 'seq', 'finished']);
  });
});

describe('viewDiff: only the facts that changed, by key', () => {
  /** A view from a record; a key `K.x` is a detail of `K`. */
  const facts = (r: Record<string, string>): Fact[] =>
    Object.entries(r).map(([key, value]) => {
      const dot = key.lastIndexOf('.');
      return dot > 0 ? { key, value, parent: key.slice(0, dot) } : { key, value };
    });
  const lines = (a: Record<string, string>, b: Record<string, string>) =>
    viewDiff(facts(a), facts(b)).map(formatViewChange);

  it('a key on one side only reads none there; an unchanged key is not listed', () => {
    expect(lines({ a: '1', b: 'x' }, { a: '1', c: 'y' })).toEqual(['b: x -> none', 'c: none -> y']);
  });

  it('a vanished key stands where it stood, not at the end', () => {
    expect(
      lines(
        { 'vm0 SPTE gfn 0x0': 'private pfn 0x10, 4K', 'vm0 seq': '0', lock: 'free' },
        { 'vm0 seq': '1', lock: 'held' },
      ),
    ).toEqual(['vm0 SPTE gfn 0x0: private pfn 0x10, 4K -> none', 'vm0 seq: 0 -> 1', 'lock: free -> held']);
  });

  it('details (CPU0.pfn) that vanish with their object (CPU0) go unsaid; alone, they are said', () => {
    expect(lines({ CPU0: 'fault', 'CPU0.pfn': 'pfn 0x10' }, { CPU0: 'idle' })).toEqual(['CPU0: fault -> idle']);
    expect(lines({ CPU0: 'fault', 'CPU0.pfn': 'pfn 0x10' }, { CPU0: 'fault' })).toEqual(['CPU0.pfn: pfn 0x10 -> none']);
  });

  it('a detail is what names a parent, not a key that looks like one', () => {
    const prev: Fact[] = [
      { key: 'CPU0', value: 'fault' },
      { key: 'CPU0.pfn', value: 'pfn 0x10' },
      { key: 'CPU0 held', value: 'pfn 0x11', parent: 'CPU0' },
    ];
    expect(viewDiff(prev, [{ key: 'CPU0', value: 'idle' }]).map(formatViewChange)).toEqual([
      'CPU0: fault -> idle',
      'CPU0.pfn: pfn 0x10 -> none',
    ]);
  });
});

describe('wrapText: lines where a reader expects the breaks', () => {
  it('between clauses first, then between words', () => {
    expect(wrapText('write_lock(mmu_lock); is_page_fault_stale?; map private SPTE 0x0', 44)).toEqual([
      'write_lock(mmu_lock); is_page_fault_stale?;',
      'map private SPTE 0x0',
    ]);
  });

  it('keeps an operator with its operands, a bracketed range whole and a number with its noun', () => {
    expect(wrapText('kvm_mmu_faultin_pfn: mmu_seq = mmu_invalidate_seq', 30)).toEqual([
      'kvm_mmu_faultin_pfn:',
      'mmu_seq = mmu_invalidate_seq',
    ]);
    expect(wrapText('vm0 KVM_SET_MEMORY_ATTRIBUTES [0x0, 0x1) -> shared', 40)).toEqual([
      'vm0 KVM_SET_MEMORY_ATTRIBUTES',
      '[0x0, 0x1) -> shared',
    ]);
    expect(wrapText('the RMP entry of pfn 0x10 is assigned', 22)).toEqual(['the RMP entry of', 'pfn 0x10 is assigned']);
  });

  it('cuts a word wider than the line, and leaves a line that fits alone', () => {
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    // Operands glued by `+` that do not fit on one line break between words, not inside one.
    expect(wrapText('KVM_LINK_GUEST_MEMFD + kvm_gmem_bind + sev_vm_move_enc_context_from', 29)).toEqual([
      'KVM_LINK_GUEST_MEMFD +',
      'kvm_gmem_bind +',
      'sev_vm_move_enc_context_from',
    ]);
    expect(wrapText('short', 10)).toEqual(['short']);
  });
});
