/**
 * The SEV-SNP RMP entry (struct rmp_state, arch/x86/virt/svm/sev.c): its ASID, size and GPA; how
 * sev_gmem_prepare picks a 2M or a 4K entry, what PSMASH keeps, what sev_gmem_max_mapping_level
 * allows, and when kvm_gmem_free_folio reclaims. No named design has huge folios with SNP
 * (mainline and the in-place series allocate order-0 folios), so the 2M cases run on the
 * hugepage series with arch 'snp'.
 */
import { describe, expect, it } from 'vitest';
import { designs, gmemModel } from '../../src/index.ts';
import type { GmemState } from '../../src/index.ts';
import { follow } from './walk.ts';

/** A pfn's RMP entry: [ASID, GPA (gfn), 2M]. */
const rmp = (s: GmemState, pfn: number) => [s.pfns[pfn].rmpAsid, s.pfns[pfn].rmpGpa, s.pfns[pfn].rmpHuge];

describe('the RMP entry records the ASID and the GPA it was assigned for', () => {
  const m = gmemModel({
    design: designs['upstream-snp'],
    bounds: { pages: 2, inFlight: 2, ops: { fault: 2, punchHole: 1 }, faultType: 'private' },
  });

  it('sev_gmem_prepare assigns the faulting gfn at 4K, whichever pfn backs it', () => {
    const s = follow(m, ['kvm_mmu_faultin_pfn@gfn 0x1', 'kvm_mem_is_private', 'kvm_gmem_get_pfn']);
    expect(s.filemap[1]).toBe(0);
    expect(rmp(s, 0)).toEqual([1, 1, false]);
  });

  it('PUNCH_HOLE reclaims the entry when the folio leaves the filemap, while a fault still holds the page', () => {
    const s = follow(m, [
      'kvm_mmu_faultin_pfn@gfn 0x0',
      'kvm_mem_is_private',
      'kvm_gmem_get_pfn',
      'kvm_gmem_punch_hole@[0x0, 0x1)',
      'truncate_inode_pages_range',
    ]);
    expect([s.pfns[0].cached, s.pfns[0].refs, s.pfns[0].index]).toEqual([false, 1, 0]);
    expect(rmp(s, 0)).toEqual([0, 0, false]);
  });
});

describe('2M entries: sev_gmem_prepare, PSMASH and the mapping level (hugepage series with SNP)', () => {
  const m = gmemModel({
    design: { ...designs['hugepage-series'], arch: 'snp' },
    bounds: {
      pages: 2,
      inFlight: 1,
      ops: { fault: 2, convert: 1, populate: 1 },
      faultType: 'private',
      convertTo: 'shared',
    },
  });
  const faultGfn1 = ['kvm_mmu_faultin_pfn@gfn 0x1', 'kvm_mem_is_private', 'kvm_gmem_get_pfn'];

  it('a fault on a 2M folio whose block is unassigned makes one 2M entry (each page its own gpa), and may map huge', () => {
    const s = follow(m, faultGfn1);
    expect([rmp(s, 0), rmp(s, 1)]).toEqual([
      [1, 0, true],
      [1, 1, true],
    ]);
    expect(s.threads[0]!.level).toBe(1);
  });

  it('converting one page to shared PSMASHes the 2M entry: the other page keeps its ASID and gpa at 4K', () => {
    const s = follow(m, [
      ...faultGfn1,
      'kvm_tdp_mmu_map',
      'filemap_invalidate_lock@[0x1, 0x2)',
      'kvm_gmem_invalidate_begin',
    ]);
    expect([rmp(s, 0), rmp(s, 1)]).toEqual([
      [1, 0, false],
      [0, 0, false],
    ]);
  });

  it('after populate assigned one page at 4K, a fault on the other gets a 4K entry (is_large_rmp_possible fails) and maps 4K', () => {
    const s = follow(m, [
      'get_user_pages_fast@gfn 0x1',
      'kvm_gmem_populate',
      'kvm_mmu_faultin_pfn@gfn 0x0',
      'kvm_mem_is_private',
      'kvm_gmem_get_pfn',
    ]);
    expect([rmp(s, 0), rmp(s, 1)]).toEqual([
      [1, 0, false],
      [1, 1, false],
    ]);
    expect(s.threads[0]!.level).toBe(0);
  });
});

describe('which layer writes an RMP entry: the step records its caller, no-arch-calls-from-gmem judges it', () => {
  const bounds = { pages: 2, inFlight: 2, ops: { fault: 1, convert: 1 }, faultType: 'private' as const };

  /** The RMP / S-EPT writes of the last named step, after the earlier ones, and the rule's verdict. */
  function lastStep(design: string, names: readonly string[]) {
    const m = gmemModel({ design: designs[design], bounds });
    const prev = follow(m, names.slice(0, -1));
    const [name, text] = names[names.length - 1].split('@');
    const a = [...m.actions(prev)].find(
      (x) =>
        m.nextState(prev, x) &&
        m.presentation.actionName(x) === name &&
        (!text || m.presentation.formatAction(x).includes(text)),
    )!;
    const next = m.nextState(prev, a)!;
    const writes = m.effects(prev, a).archWrites.map((w) => `${w.by} ${w.table} ${w.pfn}`);
    return { writes, rule: m.presentation.explain('no-arch-calls-from-gmem', next, prev, a) };
  }
  const fault = ['kvm_mmu_faultin_pfn@gfn 0x0', 'kvm_mem_is_private', 'kvm_gmem_get_pfn', 'kvm_tdp_mmu_map'];

  it('mainline: kvm_gmem_get_pfn -> kvm_gmem_prepare_folio -> sev_gmem_prepare is guest_memfd writing the RMP', () => {
    expect(lastStep('upstream-snp', fault.slice(0, 3))).toEqual({
      writes: ['guest_memfd RMP 0'],
      rule: "guest_memfd's kvm_gmem_get_pfn wrote the RMP entry of pfn 0x10 itself",
    });
  });

  it('the seed thread: KVM assigns the entry at its install, guest_memfd writes none', () => {
    const proposal = ['kvm_mmu_faultin_pfn@gfn 0x0', 'kvm_gmem_get_pfn', 'kvm_tdp_mmu_map'];
    expect(lastStep('thread-proposal', proposal.slice(0, 2))).toEqual({ writes: [], rule: undefined });
    expect(lastStep('thread-proposal', proposal)).toEqual({ writes: ['KVM RMP 0'], rule: undefined });
  });

  it("a conversion to shared: one guest_memfd step, whose rmp_make_shared is guest_memfd's in the series and KVM's handler's in the seed thread", () => {
    const toShared = ['filemap_invalidate_lock@-> shared', 'kvm_gmem_invalidate_begin'];
    expect(lastStep('in-place-snp', [...fault, ...toShared])).toEqual({
      writes: ['guest_memfd RMP 0'],
      rule: "guest_memfd's kvm_gmem_invalidate_begin wrote the RMP entry of pfn 0x10 itself",
    });
    const proposal = ['kvm_mmu_faultin_pfn@gfn 0x0', 'kvm_gmem_get_pfn', 'kvm_tdp_mmu_map'];
    expect(lastStep('thread-proposal', [...proposal, ...toShared])).toEqual({
      writes: ['KVM RMP 0'],
      rule: undefined,
    });
  });
});
