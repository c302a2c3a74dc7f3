/**
 * fallocate(PUNCH_HOLE) on a guest_memfd: kvm_gmem_punch_hole() (virt/kvm/guest_memfd.c), an
 * invalidation of every file's bindings around truncate_inode_pages_range().
 */
import { produce } from '../draft.ts';
import type { Spte } from '../state.ts';
import { lockFree } from '../kernel/locks.ts';
import { folioLockedByUserFault, truncateRange } from '../kernel/memory.ts';
import { gmemInvalidateBegin, gmemZapCanFailTdx } from '../kernel/mmu.ts';
import { iommuInvalidate } from '../kernel/iommu.ts';
import type { OpSpec, StepFn } from './common.ts';
import { fallocateRanges, gmemInvalidateEndStep, goto, range } from './common.ts';

/**
 * filemap_invalidate_lock(); kvm_gmem_invalidate_begin() over every file's bindings with the zap
 * filter (zapFilter 'private-only', the pre-fix form, misses shared SPTEs that map guest_memfd
 * folios in place; 'by-attributes' zaps whatever maps guest_memfd memory); the IOMMU where it
 * maps guest_memfd (notify.iommu).
 */
const punchBegin: StepFn = (s, t, a, ctx) => {
  if (!lockFree(s.invalidateLock)) return undefined;
  const { design } = ctx;
  const which =
    design.zapFilter === 'private-only' ? (sp: Spte) => sp.private : (sp: Spte) => sp.private || sp.pfn >= 0;
  if (a.fail && !gmemZapCanFailTdx(s, t.lo, t.hi, which, ctx)) return undefined;
  return produce(s, (d) => {
    d.invalidateLock = a.slot;
    const fail = { want: a.fail, done: false };
    // Each binding's gfn range of the punched indices, VM by VM (kernel/mmu.ts gmemInvalidateBegin).
    gmemInvalidateBegin(d, s, t.lo, t.hi, which, ctx, fail);
    if (design.notify.iommu) iommuInvalidate(d, t.lo, t.hi, () => true);
    if (fail.done) d.started.tdxRemoveFail += 1;
    goto(d, a.slot, 'truncate_inode_pages_range');
  });
};

/**
 * truncate_inode_pages_range() over the punched range (kernel/memory.ts). It locks each folio, so
 * it waits while a userspace fault holds one between kvm_gmem_fault_user_mapping and finish_fault.
 */
const punchTruncate: StepFn = (s, t, a, ctx) => {
  if (range(t.lo, t.hi).some((i) => folioLockedByUserFault(s, i, ctx.bounds.folioPages))) return undefined;
  return produce(s, (d) => {
    truncateRange(d, t.lo, t.hi, ctx);
    goto(d, a.slot, 'kvm_gmem_invalidate_end');
  });
};

export const punchHole: OpSpec = {
  op: 'punchHole',
  available: () => true,
  starts: fallocateRanges,
  first: () => 'kvm_gmem_punch_hole',
  steps: {
    kvm_gmem_punch_hole: punchBegin,
    truncate_inode_pages_range: punchTruncate,
    kvm_gmem_invalidate_end: gmemInvalidateEndStep,
  },
  actor: () => 'guest_memfd',
  mayFailTdx: (step, ctx) => ctx.design.arch === 'tdx' && step === 'kvm_gmem_punch_hole',
};
