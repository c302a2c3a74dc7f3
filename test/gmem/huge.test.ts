/**
 * Huge mappings: where KVM's lpage mixed flags are written (the post step of
 * KVM_SET_MEMORY_ATTRIBUTES, not the store) and read (the fault's install, under mmu_lock), which
 * invalidations add the straddling huge chunks (attribute conversions only), and which designs
 * map huge at all.
 */
import { describe, expect, it } from 'vitest';
import { designs, gmemModel } from '../../src/index.ts';
import type { Action, BoundsInput, GmemModel, GmemState } from '../../src/index.ts';
import { run, statuses } from './helpers.ts';

/** Take the enabled action of `op` whose step is `step` (and range starts at `lo`, if given). */
function take(m: GmemModel, s: GmemState, op: string, step: string, lo?: number): GmemState {
  const a = [...m.actions(s)].find(
    (x: Action) => x.op === op && x.step === step && (lo === undefined || x.lo === lo) && !x.fail,
  );
  if (!a) throw new Error(`no enabled ${op} ${step}`);
  const t = m.nextState(s, a);
  if (!t) throw new Error(`${op} ${step} is not enabled`);
  return t;
}

const SHARED_TO_PRIVATE: BoundsInput = {
  pages: 2,
  initiallyShared: true,
  ops: { fault: 1, convert: 1, punchHole: 1 },
  faultType: 'shared',
  convertTo: 'private',
};

describe('lpage mixed flags and the straddling huge chunks (upstream-thp)', () => {
  const m = gmemModel({ design: designs['upstream-thp'], bounds: SHARED_TO_PRIVATE });
  const s0 = [...m.initStates()][0];

  it('KVM_SET_MEMORY_ATTRIBUTES of gfn 0x1 adds the straddling chunk [0x0, 0x2) to the invalidation', () => {
    const s1 = take(m, s0, 'convert', 'kvm_mmu_invalidate_begin', 1);
    expect([s1.vms[0].rangeLo, s1.vms[0].rangeHi]).toEqual([0, 2]);
  });

  it('the store leaves the mixed flag clear; the post step, with invalidate end, sets it', () => {
    const s1 = take(m, s0, 'convert', 'kvm_mmu_invalidate_begin', 1);
    const s2 = take(m, s1, 'convert', 'kvm_vm_set_mem_attributes');
    expect(s2.vms[0].private).toEqual([false, true]);
    expect(s2.vms[0].mixed).toEqual([false]);
    const s3 = take(m, s2, 'convert', 'kvm_mmu_invalidate_end');
    expect(s3.vms[0].mixed).toEqual([true]);
    expect(s3.vms[0].inProgress).toBe(0);
  });

  it('a chunk already mixed is not added: converting gfn 0x0 after gfn 0x1 invalidates exactly [0x0, 0x1)', () => {
    const m2 = gmemModel({ design: designs['upstream-thp'], bounds: { ...SHARED_TO_PRIVATE, ops: { convert: 2 } } });
    let s = take(m2, [...m2.initStates()][0], 'convert', 'kvm_mmu_invalidate_begin', 1);
    s = take(m2, s, 'convert', 'kvm_vm_set_mem_attributes');
    s = take(m2, s, 'convert', 'kvm_mmu_invalidate_end');
    s = take(m2, s, 'convert', 'kvm_mmu_invalidate_begin', 0);
    expect([s.vms[0].rangeLo, s.vms[0].rangeHi]).toEqual([0, 1]);
    s = take(m2, s, 'convert', 'kvm_vm_set_mem_attributes');
    s = take(m2, s, 'convert', 'kvm_mmu_invalidate_end');
    expect(s.vms[0].mixed).toEqual([false]); // both private again: the flag is cleared
  });

  it('PUNCH_HOLE of index 0x1 invalidates exactly [0x1, 0x2): guest_memfd invalidations add no chunk', () => {
    const s1 = take(m, s0, 'punchHole', 'kvm_gmem_punch_hole', 1);
    expect([s1.vms[0].rangeLo, s1.vms[0].rangeHi]).toEqual([1, 2]);
  });

  it('a shared fault maps the THP chunk huge while the attributes agree, and 4K once the chunk is mixed', () => {
    let s = take(m, s0, 'fault', 'kvm_mmu_faultin_pfn', 0);
    s = take(m, s, 'fault', 'kvm_mem_is_private');
    s = take(m, s, 'fault', 'kvm_tdp_mmu_map');
    expect(s.vms[0].spte[0]).toEqual({ pfn: -1, private: false, level: 1 });

    let c = take(m, s0, 'convert', 'kvm_mmu_invalidate_begin', 1);
    c = take(m, c, 'convert', 'kvm_vm_set_mem_attributes');
    c = take(m, c, 'convert', 'kvm_mmu_invalidate_end');
    c = take(m, c, 'fault', 'kvm_mmu_faultin_pfn', 0);
    c = take(m, c, 'fault', 'kvm_mem_is_private');
    c = take(m, c, 'fault', 'kvm_tdp_mmu_map');
    expect(c.vms[0].spte[0]).toEqual({ pfn: -1, private: false, level: 0 });
  });
});

describe('which designs map huge', () => {
  const bounds: BoundsInput = { pages: 2, initiallyShared: true, ranges: 'all', ops: { fault: 1, convert: 1 } };
  it('upstream (4K memory behind the memslot, order-0 folios) and in-place (v7, order-0 folios) never do', () => {
    expect(statuses(run('upstream', bounds))['huge-mapping-installed']).toBe('unsatisfied');
    expect(statuses(run('in-place', bounds))['huge-mapping-installed']).toBe('unsatisfied');
  });
  it('upstream-thp (shared faults) and hugepage-series (private faults on a folio with no shared page) do', () => {
    expect(statuses(run('upstream-thp', bounds))['huge-mapping-installed']).toBe('satisfied');
    expect(statuses(run('hugepage-series', bounds))['huge-mapping-installed']).toBe('satisfied');
  });
});
