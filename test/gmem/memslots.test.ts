/**
 * Memslots and bindings: the layout the bounds give, the gfn <-> index translation, the walk of
 * a file's bindings, memslot deletion's steps (KVM_MEMSLOT_INVALID, SRCU, flush, unbind) and
 * creation (kvm_gmem_bind refuses an overlap), and what the view says of them.
 */
import { describe, expect, it } from 'vitest';
import { designs, gmemModel } from '../../src/index.ts';
import type { OpKind } from '../../src/state.ts';
import { actionOf } from '../../src/ops/common.ts';
import { fillBounds } from '../../src/bounds.ts';
import { bindingsIn, gfnCount, indexOfGfn, slotLayout, slotsInGfnRange } from '../../src/kernel/memslots.ts';
import { follow, successors } from './walk.ts';
import { POPULATE_AROUND_CONVERSION } from './cases.ts';
import { property, run, steps, why } from './helpers.ts';

const upstream = designs.upstream;

describe('the memslot layout and its translation', () => {
  it('splits the indices from slotPgoff into consecutive memslots, the last taking the rest, slotGap apart from slotBase', () => {
    const b = fillBounds(upstream, { pages: 5, memslots: 2, slotBase: 1, slotGap: 2, slotPgoff: 1 });
    expect(slotLayout(b).map(({ base, npages, pgoff }) => [base, npages, pgoff])).toEqual([
      [1, 2, 1],
      [5, 2, 3],
    ]);
    expect(gfnCount(b)).toBe(7);
  });

  it('the default is one memslot mapping gfn i to index i', () => {
    const b = fillBounds(upstream, { pages: 3 });
    expect(slotLayout(b).map(({ base, npages, pgoff }) => [base, npages, pgoff])).toEqual([[0, 3, 0]]);
  });

  it("translates gfn = base_gfn + (index - pgoff), and an index range to each binding's gfn range", () => {
    const m = gmemModel({ design: upstream, bounds: { pages: 4, memslots: 2, slotBase: 3 } });
    const v = [...m.initStates()][0].vms[0];
    expect([2, 3, 4, 5, 6, 7].map((g) => indexOfGfn(v, g))).toEqual([-1, 0, 1, 2, 3, -1]);
    expect(bindingsIn(v, 1, 3)).toEqual([
      { slot: 0, lo: 4, hi: 5 },
      { slot: 1, lo: 5, hi: 6 },
    ]);
    expect(slotsInGfnRange(v, 0, 5)).toEqual([{ slot: 0, lo: 3, hi: 5 }]);
  });

  it('refuses a layout with fewer indices than memslots: one line that says how to mend it', () => {
    expect(() => fillBounds(upstream, { pages: 2, memslots: 2, slotPgoff: 1 })).toThrow(
      'gmemModel: bounds.slotPgoff 1 leaves 1 indices for 2 memslots; lower slotPgoff or memslots, or raise pages',
    );
  });
});

describe('memslot deletion and creation', () => {
  const bounds = {
    pages: 2,
    memslots: 2,
    slotBase: 2,
    inFlight: 2,
    ops: { fault: 1, unbind: 1, bind: 1 },
    faultType: 'private' as const,
  };
  const m = gmemModel({ design: upstream, bounds });

  it('waits in synchronize_srcu while a fault of the memslot is past its snapshot, then flushes its SPTEs', () => {
    const s = follow(m, ['kvm_mmu_faultin_pfn@gfn 0x2', 'kvm_mem_is_private', 'kvm_invalidate_memslot@memslot 0']);
    expect(s.vms[0].slots[0].state).toBe('invalid');
    const names = successors(m, s).map(([a]) => m.presentation.actionName(a));
    expect(names).not.toContain('kvm_arch_flush_shadow_memslot');
    const done = follow(m, [
      'kvm_mmu_faultin_pfn@gfn 0x2',
      'kvm_mem_is_private',
      'kvm_invalidate_memslot@memslot 0',
      'kvm_gmem_get_pfn',
      'kvm_tdp_mmu_map',
      'kvm_arch_flush_shadow_memslot',
      'kvm_gmem_unbind',
    ]);
    expect(done.vms[0].spte).toEqual([null, null, null, null]);
    expect([done.vms[0].slots[0].state, done.vms[0].slots[0].bound, done.vms[0].slots[1].bound]).toEqual([
      'none',
      false,
      true,
    ]);
  });

  it('no fault snapshots on a KVM_MEMSLOT_INVALID memslot (it retries), and none starts once the memslot is gone', () => {
    const faultGfns = (s: ReturnType<typeof follow>) =>
      successors(m, s)
        .filter(([a]) => a.op === 'fault')
        .map(([a]) => a.lo);
    expect(faultGfns(follow(m, []))).toEqual([2, 3]);
    expect(faultGfns(follow(m, ['kvm_invalidate_memslot@memslot 0']))).toEqual([3]);
    expect(
      faultGfns(follow(m, ['kvm_invalidate_memslot@memslot 0', 'kvm_arch_flush_shadow_memslot', 'kvm_gmem_unbind'])),
    ).toEqual([3]);
  });

  it('kvm_gmem_bind refuses the indices another memslot binds (-EEXIST) and binds free ones', () => {
    const deleted = ['kvm_invalidate_memslot@memslot 0', 'kvm_arch_flush_shadow_memslot', 'kvm_gmem_unbind'];
    const refused = follow(m, [...deleted, 'kvm_gmem_bind@indices [0x1, 0x2)']);
    expect([refused.vms[0].slots[0].bound, refused.threads.every((t) => t === null)]).toEqual([false, true]);
    const bound = follow(m, [...deleted, 'kvm_gmem_bind@indices [0x0, 0x1)', 'kvm_create_memslot']);
    expect([bound.vms[0].slots[0].state, bound.vms[0].slots[0].bound]).toEqual(['live', true]);
  });

  it('the view names each memslot by its gfns and indices', () => {
    const s = follow(m, ['kvm_invalidate_memslot@memslot 0']);
    const facts = Object.fromEntries(m.presentation.view!(s).map((f) => [f.key, f.value]));
    expect(facts['vm0 memslot 0']).toBe('gfn 0x2-0x2 -> index 0x0-0x0, KVM_MEMSLOT_INVALID (being deleted), bound');
    expect(facts['vm0 memslot 1']).toBe('gfn 0x3-0x3 -> index 0x1-0x1, live, bound');
  });
});

describe('the range-union fix over several memslots in one kvm_handle_gfn_range', () => {
  // KVM_SET_MEMORY_ATTRIBUTES of gfns [0x0, 0x3) meets memslot 0 (gfn 0x1) and memslot 1 (gfn
  // 0x2): v12's range_add keeps only [0x2, 0x3), so the fault at gfn 0x1, which read the
  // attribute before the conversion, passes mmu_invalidate_retry_gfn.
  const bounds = {
    memslots: 2,
    slotBase: 1,
    ranges: 'all' as const,
    ops: { fault: 1, convert: 1 },
    faultType: 'private' as const,
    convertTo: 'shared' as const,
  };

  it('before the fix (no-range-union-memslots): a private SPTE survives the conversion to shared, 6 steps', () => {
    const r = run('no-range-union-memslots', bounds);
    expect(steps(r, 'no-private-access-after-shared-conversion')).toEqual([
      'CPU0 kvm_mmu_faultin_pfn',
      'CPU0 kvm_mem_is_private',
      'CPU0 kvm_gmem_get_pfn',
      'CPU1 kvm_mmu_invalidate_begin',
      'CPU0 kvm_tdp_mmu_map',
      'CPU1 kvm_vm_set_mem_attributes',
    ]);
    expect(why(r, 'no-private-access-after-shared-conversion')).toBe(
      'gfn 0x1 (index 0x0) is shared, yet vm0 maps it private to pfn 0x10',
    );
  });

  it('with the union (upstream) the same bounds keep it', () => {
    expect(property(run('upstream', bounds), 'no-private-access-after-shared-conversion').status).toBe('holds');
  });
});

describe('a move: the memslot deleted and created again at another base_gfn (slotMove)', () => {
  const bounds = {
    pages: 2,
    memslots: 2,
    slotMove: 2,
    inFlight: 2,
    ops: { fault: 2, unbind: 1, bind: 1 },
    faultType: 'private' as const,
  };
  const m = gmemModel({ design: upstream, bounds });

  it('memslot 1 moves from gfn 0x1 to gfn 0x3, and a fault there maps index 0x1', () => {
    const s = follow(m, [
      'kvm_mmu_faultin_pfn@gfn 0x1',
      'kvm_mem_is_private',
      'kvm_gmem_get_pfn',
      'kvm_tdp_mmu_map',
      'kvm_invalidate_memslot@memslot 1',
      'kvm_arch_flush_shadow_memslot',
      'kvm_gmem_unbind',
      'kvm_gmem_bind@(gfns [0x3, 0x4), base_gfn moved) on its guest_memfd, indices [0x1, 0x2)',
      'kvm_create_memslot',
      'kvm_mmu_faultin_pfn@gfn 0x3',
      'kvm_mem_is_private',
      'kvm_gmem_get_pfn',
      'kvm_tdp_mmu_map',
    ]);
    expect(s.vms[0].slots[1]).toEqual({ base: 3, npages: 1, pgoff: 1, state: 'live', bound: true });
    expect(s.vms[0].spte[1]).toBeNull();
    expect(s.pfns[s.vms[0].spte[3]!.pfn].index).toBe(1);
  });

  it('every memslot property holds over the whole space, a move racing the faults', () => {
    const r = run('upstream', bounds);
    expect(r.result.complete).toBe(true);
    for (const p of [
      'bindings-do-not-overlap',
      'spte-matches-translation',
      'invalidation-reaches-every-binding',
      'no-mapping-of-freed-memory',
    ]) {
      expect([p, property(r, p).status]).toEqual([p, 'holds']);
    }
  });
});

describe('populate translates its gfn through the memslot (kvm_gmem_get_index)', () => {
  const populateGfns = (m: ReturnType<typeof gmemModel>) =>
    successors(m, follow(m, []))
      .filter(([a]) => a.op === 'populate')
      .map(([a]) => a.lo);

  it('SNP, memslots at gfn 0x2: LAUNCH_UPDATE of gfn 0x2 assigns the pfn of index 0x0 for gpa gfn 0x2', () => {
    const m = gmemModel({
      design: designs['upstream-snp'],
      bounds: { memslots: 2, slotBase: 2, ops: { populate: 1 } },
    });
    expect(populateGfns(m)).toEqual([2, 3]);
    const s = follow(m, ['get_user_pages_fast@gfn 0x2', 'kvm_gmem_populate']);
    const pfn = s.filemap[0];
    expect([pfn, s.filemap[1]]).toEqual([0, -1]);
    expect([s.pfns[pfn].rmpAsid, s.pfns[pfn].rmpGpa, s.pfns[pfn].uptodate]).toEqual([1, 2, true]);
  });

  it('TDX, one memslot binding index 0x1 at gfn 0x0 (slotPgoff 1): PAGE.ADD maps gfn 0x0 to the pfn of index 0x1', () => {
    const m = gmemModel({ design: designs['upstream-tdx'], bounds: { slotPgoff: 1, ops: { populate: 1 } } });
    expect(populateGfns(m)).toEqual([0]);
    const s = follow(m, ['get_user_pages_fast@gfn 0x0', 'kvm_gmem_populate']);
    const pfn = s.filemap[1];
    expect([s.filemap[0], pfn]).toEqual([-1, 0]);
    expect(s.vms[0].spte[0]).toEqual({ pfn, private: true, level: 0 });
    expect(s.pfns[pfn].sept).toBe(0);
  });

  it('populate-checks-before-lock on the moved layout: the stale check names gfn and index, 6 steps, as many states as at gfn = index', () => {
    const bounds = { pages: 2, inFlight: 3, ops: { populate: 1, convert: 1, mmapFault: 1, munmap: 1 } };
    const moved = run('populate-checks-before-lock', { ...bounds, memslots: 2, slotBase: 2 });
    expect(moved.result.distinctStates).toBe(2676);
    expect(run('populate-checks-before-lock', bounds).result.distinctStates).toBe(2676);
    expect(steps(moved, 'populate-only-private-unassigned')).toEqual(POPULATE_AROUND_CONVERSION);
    expect(why(moved, 'populate-only-private-unassigned')).toBe('populate wrote gfn 0x2 (index 0x0), which is shared');
  });
});

describe('reports say gfns or indices where the layout can give a gfn another index', () => {
  // Memslots at gfn 0x2 bind indices 0x0-0x1: KVM's ranges are gfns, guest_memfd's indices.
  const moved = { pages: 2, memslots: 2, slotBase: 2, ranges: 'all' as const };
  const label = (design: string, bounds: object, op: OpKind, step: string, lo: number, hi: number) =>
    gmemModel({ design: designs[design], bounds }).presentation.formatAction(
      actionOf(0, op, step, { vm: 0, lo, hi, priv: false, dom: 0 }),
    );

  it('actions: KVM_SET_MEMORY_ATTRIBUTES and SPTEs by gfns, guest_memfd by indices, each step argument named', () => {
    expect(label('upstream', moved, 'convert', 'kvm_mmu_invalidate_begin', 2, 4)).toBe(
      'vm0 KVM_SET_MEMORY_ATTRIBUTES gfns [0x2, 0x4) -> shared: kvm_mmu_invalidate_begin(); zap private SPTEs gfns [0x2, 0x4)',
    );
    expect(label('in-place', moved, 'convert', 'kvm_gmem_set_attributes', 0, 2)).toBe(
      'guest_memfd convert indices [0x0, 0x2) -> shared: store shareability indices [0x0, 0x2) = shared',
    );
    expect(label('upstream', moved, 'punchHole', 'truncate_inode_pages_range', 0, 1)).toBe(
      'fallocate(PUNCH_HOLE) indices [0x0, 0x1): truncate_inode_pages_range indices [0x0, 0x1)',
    );
    expect(label('upstream', moved, 'fault', 'kvm_gmem_get_pfn', 2, 3)).toBe(
      'vm0 vCPU fault gfn 0x2 (shared): kvm_gmem_get_pfn(gfn 0x2)',
    );
    expect(label('upstream', moved, 'unbind', 'kvm_arch_flush_shadow_memslot', 2, 3)).toBe(
      'vm0 delete memslot 0 (gfns [0x2, 0x3)): synchronize_srcu(); kvm_arch_flush_shadow_memslot(gfns [0x2, 0x3))',
    );
    expect(label('upstream', { ...moved, slotMove: 2 }, 'bind', 'kvm_gmem_bind', 1, 2)).toBe(
      'vm0 create memslot 0 (gfns [0x2, 0x3)) on its guest_memfd, indices [0x1, 0x2): mutex_lock(slots_lock); kvm_gmem_bind(): xa_store_range(bindings)',
    );
  });

  it('the default layout (gfn = index) prints them bare, as before', () => {
    const one = { pages: 2, ranges: 'all' as const };
    expect(label('upstream', one, 'convert', 'kvm_mmu_invalidate_begin', 0, 2)).toBe(
      'vm0 KVM_SET_MEMORY_ATTRIBUTES [0x0, 0x2) -> shared: kvm_mmu_invalidate_begin(); zap private SPTEs [0x0, 0x2)',
    );
    expect(label('upstream', one, 'fault', 'kvm_gmem_get_pfn', 1, 2)).toBe(
      'vm0 vCPU fault gfn 0x1 (shared): kvm_gmem_get_pfn(0x1)',
    );
    expect(label('upstream', one, 'unbind', 'kvm_arch_flush_shadow_memslot', 0, 2)).toBe(
      'vm0 delete memslot 0 (gfn [0x0, 0x2)): synchronize_srcu(); kvm_arch_flush_shadow_memslot(gfn [0x0, 0x2))',
    );
  });

  it('violations: one PUNCH_HOLE over both memslots before the range-union fix names indices and the gfns each binding gives them', () => {
    const r = run('no-range-union-memslots', { ...moved, ops: { fault: 1, punchHole: 1 }, faultType: 'private' });
    expect(property(r, 'no-stale-mapping-during-invalidation').trace!.steps.length - 1).toBe(5);
    expect(why(r, 'no-stale-mapping-during-invalidation')).toBe(
      'vm0 installed an SPTE for gfns [0x2, 0x3) while PUNCH_HOLE of indices [0x0, 0x2) (gfns [0x2, 0x3), [0x3, 0x4)) was invalidating it',
    );
    expect(property(r, 'invalidation-reaches-every-binding').trace!.steps.length - 1).toBe(7);
    expect(why(r, 'invalidation-reaches-every-binding')).toBe(
      'PUNCH_HOLE of indices [0x0, 0x2) ended, yet vm0 still maps gfn 0x2 through memslot 0 (gfns [0x2, 0x3)) private to pfn 0x10',
    );
  });

  it('the view: the invalidation range is of gfns, a thread names its range', () => {
    const m = gmemModel({ design: upstream, bounds: { ...moved, ops: { convert: 1 } } });
    const s = follow(m, ['kvm_mmu_invalidate_begin@gfns [0x2, 0x3)']);
    const facts = Object.fromEntries(m.presentation.view!(s).map((f) => [f.key, f.value]));
    expect(facts['vm0 mmu_invalidate_in_progress']).toBe('1, range gfns [0x2, 0x3)');
    expect(facts.CPU0).toBe('vm0 KVM_SET_MEMORY_ATTRIBUTES gfns [0x2, 0x3) to shared');
  });
});

describe('lpage_info past a memslot smaller than a 1G page (992b54bd083c)', () => {
  // One memslot, gfns 0x0-0x1: one 2M page, inside the model's 1G page of gfns 0x0-0x3.
  const bounds = { pages: 2, ranges: 'all' as const, initiallyShared: true, ops: { fault: 2, convert: 1 } };

  it('before the fix (lpage-info-overflow): converting gfns [0x0, 0x2) reads the 2M entry of gfns 0x2-0x3, one conversion alone, 3 steps', () => {
    const r = run('lpage-info-overflow', { ...bounds, inFlight: 1 });
    expect(steps(r, 'lpage-info-in-bounds')).toEqual([
      'CPU0 kvm_mmu_invalidate_begin',
      'CPU0 kvm_vm_set_mem_attributes',
      'CPU0 kvm_mmu_invalidate_end',
    ]);
    expect(why(r, 'lpage-info-in-bounds')).toBe(
      "hugepage_has_attrs of the 1G page at gfn 0x0 read the 2M lpage_info of gfns [0x2, 0x4), past the end of vm0's memslot 0 (gfns [0x0, 0x2))",
    );
  });

  it('the 1G entry it writes is the misaligned tail, already disallowed: with two faults in flight, the same states as the fix and no wrong mapping level', () => {
    const fixed = run('upstream-thp', { ...bounds, inFlight: 2 });
    const before = run('lpage-info-overflow', { ...bounds, inFlight: 2 });
    expect([fixed.result.distinctStates, before.result.distinctStates]).toEqual([1870, 1870]);
    expect(property(fixed, 'lpage-info-in-bounds').status).toBe('holds');
    expect(property(before, 'mapping-level-fits').status).toBe('holds');
    expect(property(before, 'no-shared-access-to-private').status).toBe('holds');
  });

  it("a memslot that reaches the 1G page's last 2M page (gfns 0x0-0x2) keeps the read inside its array, fix or not", () => {
    const r = run('lpage-info-overflow', { ...bounds, pages: 3, inFlight: 1 });
    expect(property(r, 'lpage-info-in-bounds').status).toBe('holds');
  });
});
