/**
 * TDX page references and removal failure (arch/x86/kvm/vmx/tdx.c). Since ce7b5695397b ("KVM:
 * TDX: Drop superfluous page pinning in S-EPT management") KVM holds no reference for an S-EPT
 * mapping and a failed removal only bugs the VM; tdx-pins-pages is the kernel before it.
 */
import { describe, expect, it } from 'vitest';
import { designs, gmemModel } from '../../src/index.ts';
import type { BoundsInput, GmemState } from '../../src/index.ts';
import { run, statuses, steps, why } from './helpers.ts';
import { follow } from './walk.ts';

const FAULT_THEN_PUNCH: BoundsInput = {
  pages: 1,
  inFlight: 1,
  ops: { fault: 1, punchHole: 1, tdxRemoveFail: 1 },
  faultType: 'private',
};
const mapped = ['kvm_mmu_faultin_pfn', 'kvm_mem_is_private', 'kvm_gmem_get_pfn', 'kvm_tdp_mmu_map'];
const FAIL = '@KVM_BUG_ON';
/** [index, refs, S-EPT owner, TD data, leaked] of pfn 0x10, and whether vm0 is bugged. */
const page = (s: GmemState) => [
  s.pfns[0].index,
  s.pfns[0].refs,
  s.pfns[0].sept,
  s.pfns[0].tdData,
  s.pfns[0].leaked,
  s.vms[0].bugged,
];

describe('a failed S-EPT removal, since ce7b5695397b and before it', () => {
  it('since: no reference; PUNCH_HOLE with a failed removal bugs the VM and frees the page the S-EPT still maps', () => {
    const m = gmemModel({ design: designs['upstream-tdx'], bounds: FAULT_THEN_PUNCH });
    expect(page(follow(m, mapped))).toEqual([0, 0, 0, true, false, false]);
    const s = follow(m, [...mapped, `kvm_gmem_punch_hole${FAIL}`, 'truncate_inode_pages_range']);
    expect(page(s)).toEqual([-1, 0, 0, true, false, true]);
  });

  it('before (tdx-pins-pages): the mapping holds a reference, which a successful removal drops and a failed one keeps', () => {
    const m = gmemModel({ design: designs['tdx-pins-pages'], bounds: FAULT_THEN_PUNCH });
    expect(page(follow(m, mapped))).toEqual([0, 1, 0, true, false, false]);
    expect(page(follow(m, [...mapped, 'kvm_gmem_punch_hole@[0x0, 0x1)', 'truncate_inode_pages_range']))).toEqual([
      -1,
      0,
      -1,
      false,
      false,
      false,
    ]);
    const leaked = follow(m, [...mapped, `kvm_gmem_punch_hole${FAIL}`, 'truncate_inode_pages_range']);
    expect(page(leaked)).toEqual([0, 1, 0, true, true, true]);
    expect(leaked.pfns[0].cached).toBe(false);
  });

  it('in-place-tdx: a conversion to shared carries on past a failed removal (kvm_gmem_invalidate_begin is void), so the page is shared while the S-EPT maps it (7 steps)', () => {
    const r = run('in-place-tdx', {
      inFlight: 1,
      ops: { fault: 1, convert: 1, tdxRemoveFail: 1 },
      faultType: 'private',
      convertTo: 'shared',
    });
    expect(r.result.distinctStates).toBe(49);
    expect(
      Object.entries(statuses(r))
        .filter(([, v]) => v === 'violated')
        .map(([k]) => k),
    ).toEqual(['tdx-page-removed-and-cleared-before-free']);
    expect(steps(r, 'tdx-page-removed-and-cleared-before-free')).toEqual([
      'CPU0 kvm_mmu_faultin_pfn',
      'CPU0 kvm_mem_is_private',
      'CPU0 kvm_gmem_get_pfn',
      'CPU0 kvm_tdp_mmu_map',
      'CPU0 filemap_invalidate_lock',
      'CPU0 kvm_gmem_invalidate_begin',
      'CPU0 kvm_gmem_set_attributes',
    ]);
    expect(why(r, 'tdx-page-removed-and-cleared-before-free')).toBe(
      "index 0x0 was made shared, yet vm0's S-EPT still maps pfn 0x10",
    );
  });
});
