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
