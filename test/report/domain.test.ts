/**
 * The product: a guest_memfd counterexample as a reviewer reads it. The design without the
 * fault path's mmu_invalidate_seq / in_progress check (`no-invalidate-retry`) lets a private
 * fault install its SPTE while KVM_SET_MEMORY_ATTRIBUTES converts the gfn to shared.
 */
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/index.ts';
import { parseSavedTrace, renderTrace, replaySaved } from '../../checker/report/index.ts';
import { designs, gmemModel } from '../../src/index.ts';
import { validateItf } from './itf-schema.ts';
import { mermaidSequenceErrors } from './mermaid-grammar.ts';

const bounds = { pages: 2, vms: 1 };
const model = gmemModel({ design: designs['no-invalidate-retry'], bounds });
const result = check(model, {});
const race = result.properties.find((p) => p.name === 'no-private-access-after-shared-conversion')!;
const ctx = { model: model.name, spec: 'conversion-race', design: 'no-invalidate-retry', bounds };

describe('no-invalidate-retry: a private fault races KVM_SET_MEMORY_ATTRIBUTES to shared', () => {
  it('is violated in 6 steps, by two threads', () => {
    expect(race.status).toBe('violated');
    expect(race.trace!.steps.length - 1).toBe(6);
    expect(new Set(race.trace!.steps.slice(1).map((s) => model.threadOf!(s.action!)))).toEqual(new Set(['CPU0', 'CPU1']));
  });

  it('race: CPU0 faults, CPU1 converts; the install lands inside the invalidation; the attribute store is marked', () => {
    expect(renderTrace('race', model, race, ctx)).toMatchInlineSnapshot(`
      "gmemcheck: no-private-access-after-shared-conversion violated (model: guest_memfd, spec: conversion-race, design: no-invalidate-retry)
      6 steps. Bounds: pages=2, vms=1.

           CPU0: vm0 vCPU fault gfn 0x0 (private)                              CPU1: vm0 KVM_SET_MEMORY_ATTRIBUTES [0x0, 0x1) -> shared
           ----------------------------------------------------------------    --------------------------------------------------------
        1  kvm_mmu_faultin_pfn: mmu_seq = mmu_invalidate_seq
        2  kvm_mem_is_private(0x0) == true?
        3  kvm_gmem_get_pfn(0x0)
        4                                                                      kvm_mmu_invalidate_begin(); zap private SPTEs [0x0, 0x1)
        5  write_lock(mmu_lock); is_page_fault_stale?; map private SPTE 0x0
        6                                                                      xa_store(mem_attr_array) [0x0, 0x1) = shared   <== violated: gfn 0x0 is shared, yet vm0 maps it private to pfn 0x10
      "
    `);
  });

  it('text: each step in kernel terms, then only what it changed', () => {
    const text = renderTrace('text', model, race, ctx);
    const lines = text.split('\n');
    // The initial state is the model's whole state, whose shape grows with the model: pinned
    // here are its heading and the steps, which are what a reviewer reads.
    expect(lines.slice(0, 4)).toEqual([
      'gmemcheck: no-private-access-after-shared-conversion violated (model: guest_memfd, spec: conversion-race, design: no-invalidate-retry)',
      '6 steps. Bounds: pages=2, vms=1.',
      '',
      ' 0  initial',
    ]);
    expect(lines.slice(lines.findIndex((l) => l.startsWith(' 1  '))).join('\n')).toMatchInlineSnapshot(`
      " 1  CPU0 vm0 vCPU fault gfn 0x0 (private): kvm_mmu_faultin_pfn: mmu_seq = mmu_invalidate_seq
            threads[0]: null -> {vm: 0, lo: 0, hi: 1, priv: true, dom: 0, seq: 0, pfn: -1, level: 0, op: fault, pc: kvm_mem_is_private}
            started.fault: 0 -> 1
       2  CPU0 vm0 vCPU fault gfn 0x0 (private): kvm_mem_is_private(0x0) == true?
            threads[0].pc: kvm_mem_is_private -> kvm_gmem_get_pfn
       3  CPU0 vm0 vCPU fault gfn 0x0 (private): kvm_gmem_get_pfn(0x0)
            pfns[0].index: -1 -> 0
            pfns[0].cached: false -> true
            pfns[0].refs: 0 -> 1
            pfns[0].zeroed: false -> true
            pfns[0].uptodate: false -> true
            filemap[0]: -1 -> 0
            threads[0].pfn: -1 -> 0
            threads[0].pc: kvm_gmem_get_pfn -> kvm_tdp_mmu_map
       4  CPU1 vm0 KVM_SET_MEMORY_ATTRIBUTES [0x0, 0x1) -> shared: kvm_mmu_invalidate_begin(); zap private SPTEs [0x0, 0x1)
            vms[0].inProgress: 0 -> 1
            vms[0].rangeLo: -1 -> 0
            vms[0].rangeHi: -1 -> 1
            slotsLock: -1 -> 1
            threads[1]: null -> {vm: 0, lo: 0, hi: 1, priv: false, dom: 0, seq: -1, pfn: -1, level: 0, op: convert, pc: kvm_vm_set_mem_attributes}
            started.convert: 0 -> 1
       5  CPU0 vm0 vCPU fault gfn 0x0 (private): write_lock(mmu_lock); is_page_fault_stale?; map private SPTE 0x0
            pfns[0].refs: 1 -> 0
            vms[0].spte[0]: null -> {pfn: 0, private: true, level: 0}
            threads[0]: {vm: 0, lo: 0, hi: 1, priv: true, dom: 0, seq: 0, pfn: 0, level: 0, op: fault, pc: kvm_tdp_mmu_map} -> null
       6  CPU1 vm0 KVM_SET_MEMORY_ATTRIBUTES [0x0, 0x1) -> shared: xa_store(mem_attr_array) [0x0, 0x1) = shared
            vms[0].private[0]: true -> false
            threads[1].pc: kvm_vm_set_mem_attributes -> kvm_mmu_invalidate_end
          violated: no-private-access-after-shared-conversion — gfn 0x0 is shared, yet vm0 maps it private to pfn 0x10
      "
    `);
  });

  it('mermaid: passes the grammar check; KVM calls guest_memfd for the pfn and the fault returns to KVM to install it', () => {
    const diagram = renderTrace('mermaid', model, race, ctx);
    expect(mermaidSequenceErrors(diagram)).toEqual([]);
    expect(diagram.split('\n').filter((l) => /participant|->>|starts/.test(l)).join('\n')).toMatchInlineSnapshot(`
      "  participant A0 as KVM
        participant A1 as guest_memfd
        Note over A0: CPU0 starts vm0 vCPU fault gfn 0x0 (private)
        A0->>A0: CPU0 kvm_mmu_faultin_pfn: mmu_seq = mmu_invalidate_seq
        A0->>A0: CPU0 kvm_mem_is_private(0x0) == true?
        A0->>A1: CPU0 kvm_gmem_get_pfn(0x0)
        Note over A0: CPU1 starts vm0 KVM_SET_MEMORY_ATTRIBUTES [0x0, 0x1) -#62; shared
        A0->>A0: CPU1 kvm_mmu_invalidate_begin()#59; zap private SPTEs [0x0, 0x1)
        A1-->>A0: CPU0 write_lock(mmu_lock)#59; is_page_fault_stale?#59; map private SPTE 0x0
        A0->>A0: CPU1 xa_store(mem_attr_array) [0x0, 0x1) = shared"
    `);
  });

  it('itf: validates against the ITF schema, one variable per top-level field of the state plus action', () => {
    const doc = JSON.parse(renderTrace('itf', model, race, ctx));
    expect(validateItf(doc) ? [] : validateItf.errors).toEqual([]);
    expect(doc.vars).toEqual(['action', ...Object.keys(race.trace!.steps[0].state)]);
    expect(doc.states.length).toBe(7);
  });

  for (const format of ['json', 'itf'] as const) {
    it(`${format}: the saved trace replays on the same design and reproduces the violation`, () => {
      const saved = parseSavedTrace(renderTrace(format, model, race, ctx), `conversion-race.${format}`);
      expect([saved.spec, saved.design, saved.property]).toEqual(['conversion-race', 'no-invalidate-retry', 'no-private-access-after-shared-conversion']);
      expect(replaySaved(model, saved).reproduces).toBe(true);
    });
  }

  it('replayed on upstream (which retries the stale fault), the trace parts ways at the install, step 5', () => {
    const upstream = gmemModel({ design: designs.upstream, bounds });
    const saved = parseSavedTrace(renderTrace('json', model, race, ctx));
    const verdict = replaySaved(upstream, saved);
    expect([verdict.reproduces, verdict.failedStep]).toEqual([false, 5]);
    expect(verdict.message).toMatchInlineSnapshot(`"no-private-access-after-shared-conversion (json trace of guest_memfd, design no-invalidate-retry) no longer replays on guest_memfd: step 5: vm0 vCPU fault gfn 0x0 (private): write_lock(mmu_lock); is_page_fault_stale?; map private SPTE 0x0 is not enabled in this state (this model is not the one the trace was saved from: it changed, or it is another design)"`);
  });
});
