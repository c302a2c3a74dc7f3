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
    expect(new Set(race.trace!.steps.slice(1).map((s) => model.presentation.threadOf(s.action!)))).toEqual(
      new Set(['CPU0', 'CPU1']),
    );
  });

  it('race: CPU0 faults, CPU1 converts; the install lands inside the invalidation; the attribute store is marked', () => {
    expect(renderTrace('race', model, race, ctx)).toMatchInlineSnapshot(`
      "gmemcheck: no-private-access-after-shared-conversion violated (model: guest_memfd,
        spec: conversion-race, design: no-invalidate-retry)
      6 steps. Bounds: pages=2, vms=1.

           CPU0: vm0 vCPU fault gfn 0x0 (private)         CPU1: vm0 KVM_SET_MEMORY_ATTRIBUTES
                                                          [0x0, 0x1) -> shared
           -------------------------------------------    --------------------------------------------
        1  kvm_mmu_faultin_pfn:
           mmu_seq = mmu_invalidate_seq
        2  kvm_mem_is_private(0x0) == true?
        3  kvm_gmem_get_pfn(0x0)
        4                                                 kvm_mmu_invalidate_begin();
                                                          zap private SPTEs [0x0, 0x1)
        5  write_lock(mmu_lock); is_page_fault_stale?;
           map private SPTE 0x0
        6                                                 xa_store(mem_attr_array) [0x0, 0x1) = shared
                                                          <== violated: gfn 0x0 is shared, yet vm0 maps it
                                                          private to pfn 0x10
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
            CPU0: idle -> vm0 vCPU fault gfn 0x0 (private)
            CPU0.next: none -> kvm_mem_is_private
            CPU0.mmu_seq: none -> 0
       2  CPU0 vm0 vCPU fault gfn 0x0 (private): kvm_mem_is_private(0x0) == true?
            CPU0.next: kvm_mem_is_private -> kvm_gmem_get_pfn
       3  CPU0 vm0 vCPU fault gfn 0x0 (private): kvm_gmem_get_pfn(0x0)
            pfn 0x10: free -> gmem index 0x0, 4K folio
            pfn 0x10.refs: none -> filemap + 1 ref
            pfn 0x10.data: none -> zeroed
            CPU0.next: kvm_gmem_get_pfn -> kvm_tdp_mmu_map
            CPU0.pfn: none -> pfn 0x10, reference held
       4  CPU1 vm0 KVM_SET_MEMORY_ATTRIBUTES [0x0, 0x1) -> shared: kvm_mmu_invalidate_begin(); zap private SPTEs [0x0, 0x1)
            vm0 mmu_invalidate_in_progress: 0 -> 1, range [0x0, 0x1)
            slots_lock: free -> held by CPU1
            CPU1: idle -> vm0 KVM_SET_MEMORY_ATTRIBUTES [0x0, 0x1) to shared
            CPU1.next: none -> kvm_vm_set_mem_attributes
       5  CPU0 vm0 vCPU fault gfn 0x0 (private): write_lock(mmu_lock); is_page_fault_stale?; map private SPTE 0x0
            vm0 SPTE gfn 0x0: none -> private pfn 0x10, 4K
            pfn 0x10.refs: filemap + 1 ref -> filemap only
            CPU0: vm0 vCPU fault gfn 0x0 (private) -> idle
       6  CPU1 vm0 KVM_SET_MEMORY_ATTRIBUTES [0x0, 0x1) -> shared: xa_store(mem_attr_array) [0x0, 0x1) = shared
            vm0 gfn 0x0: private -> shared
            CPU1.next: kvm_vm_set_mem_attributes -> kvm_mmu_invalidate_end
          violated: no-private-access-after-shared-conversion — gfn 0x0 is shared, yet vm0 maps it private to pfn 0x10
      "
    `);
  });

  it('mermaid: passes the grammar check; KVM calls guest_memfd for the pfn and the fault returns to KVM to install it; notes say what changed in kernel terms', () => {
    const diagram = renderTrace('mermaid', model, race, ctx);
    expect(mermaidSequenceErrors(diagram)).toEqual([]);
    expect(
      diagram
        .split('\n')
        .filter((l) => /participant|->>|starts|Note right/.test(l))
        .join('\n'),
    ).toMatchInlineSnapshot(`
      "  participant A0 as KVM
        participant A1 as guest_memfd
        Note over A0: CPU0 starts vm0 vCPU fault gfn 0x0 (private)
        A0->>A0: CPU0 kvm_mmu_faultin_pfn: mmu_seq = mmu_invalidate_seq
        Note right of A0: CPU0: idle → vm0 vCPU fault gfn 0x0 (private)<br/>CPU0.next: none → kvm_mem_is_private<br/>CPU0.mmu_seq: none → 0
        A0->>A0: CPU0 kvm_mem_is_private(0x0) == true?
        Note right of A0: CPU0.next: kvm_mem_is_private → kvm_gmem_get_pfn
        A0->>A1: CPU0 kvm_gmem_get_pfn(0x0)
        Note right of A1: pfn 0x10: free → gmem index 0x0, 4K folio<br/>pfn 0x10.refs: none → filemap + 1 ref<br/>pfn 0x10.data: none → zeroed<br/>CPU0.next: kvm_gmem_get_pfn → kvm_tdp_mmu_map<br/>CPU0.pfn: none → pfn 0x10, reference held
        Note over A0: CPU1 starts vm0 KVM_SET_MEMORY_ATTRIBUTES [0x0, 0x1) → shared
        A0->>A0: CPU1 kvm_mmu_invalidate_begin()#59; zap private SPTEs [0x0, 0x1)
        Note right of A0: vm0 mmu_invalidate_in_progress: 0 → 1, range [0x0, 0x1)<br/>slots_lock: free → held by CPU1<br/>CPU1: idle → vm0 KVM_SET_MEMORY_ATTRIBUTES [0x0, 0x1) to shared<br/>CPU1.next: none → kvm_vm_set_mem_attributes
        A1-->>A0: CPU0 write_lock(mmu_lock)#59; is_page_fault_stale?#59; map private SPTE 0x0
        Note right of A0: vm0 SPTE gfn 0x0: none → private pfn 0x10, 4K<br/>pfn 0x10.refs: filemap + 1 ref → filemap only<br/>CPU0: vm0 vCPU fault gfn 0x0 (private) → idle
        A0->>A0: CPU1 xa_store(mem_attr_array) [0x0, 0x1) = shared
        Note right of A0: vm0 gfn 0x0: private → shared<br/>CPU1.next: kvm_vm_set_mem_attributes → kvm_mmu_invalidate_end"
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
      expect([saved.spec, saved.design, saved.property]).toEqual([
        'conversion-race',
        'no-invalidate-retry',
        'no-private-access-after-shared-conversion',
      ]);
      expect(replaySaved(model, saved).reproduces).toBe(true);
    });
  }

  it('replayed on upstream (which retries the stale fault), the trace parts ways at the install, step 5', () => {
    const upstream = gmemModel({ design: designs.upstream, bounds });
    const saved = parseSavedTrace(renderTrace('json', model, race, ctx));
    const verdict = replaySaved(upstream, saved);
    expect([verdict.reproduces, verdict.failedStep]).toEqual([false, 5]);
    // The install runs, sees the gfn inside the conversion's invalidation and retries (RET_PF_RETRY).
    expect(verdict.message).toMatchInlineSnapshot(
      `"no-private-access-after-shared-conversion (json trace of guest_memfd, design no-invalidate-retry) replays on guest_memfd, but step 5 (vm0 vCPU fault gfn 0x0 (private): write_lock(mmu_lock); is_page_fault_stale?; map private SPTE 0x0) reaches another state than the saved one: vms[0].spte[0]: {pfn: 0, private: true, level: 0} -> null; threads[0]: null -> {vm: 0, lo: 0, hi: 1, priv: true, dom: 0, seq: -1, pfn: -1, level: 0, op: fault, pc: kvm_mmu_faultin_pfn}; seen.retried: false -> true"`,
    );
  });
});
