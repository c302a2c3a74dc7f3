/**
 * Intra-host migration: KVM_LINK_GUEST_MEMFD (proposed) + KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM,
 * folded into one step (designs with \`linking\`).
 */
import { produce } from '../draft.ts';
import { bindingsIn, summarise } from '../kernel/memslots.ts';
import { invalidateEnd, invalidateRangeAdd, zap } from '../kernel/mmu.ts';
import type { Ctx, D } from '../kernel/context.ts';
import type { GmemState } from '../state.ts';
import { lockFree } from '../kernel/locks.ts';
import type { OpSpec, StepFn } from './common.ts';
import { finish, wholeFile } from './common.ts';

/**
 * Give VM `vm` a new file on VM 0's inode (the proposed KVM_LINK_GUEST_MEMFD; the file pins the
 * new VM), bind its memslot (kvm_gmem_bind, under filemap_invalidate_lock) with VM 0's
 * attributes, and move the encryption context (sev_vm_move_enc_context_from: the destination
 * takes the source's ASID, the source can no longer run). Folds three ioctls into one step.
 */
const linkStep: StepFn = (s, t, a, ctx) => {
  if (!lockFree(s.invalidateLock)) return undefined;
  return produce(s, (d) => {
    const dst = d.vms[t.vm];
    dst.file = 'open';
    if (ctx.design.gmemContext) moveContext(d, s, ctx);
    // Every memslot of the layout created and bound to the new file (kernel/memslots.ts), at
    // the source's offsets where the context moves.
    dst.slots.forEach((sl, k) => {
      sl.state = 'live';
      sl.bound = true;
      if (ctx.design.gmemContext) sl.pgoff = s.vms[0].slots[k].pgoff;
    });
    summarise(dst);
    // KVM's own attributes, where it keeps them ('vm'); in place it reads guest_memfd's.
    if (ctx.design.attributes === 'vm')
      for (let g = 0; g < dst.private.length; g++) dst.private[g] = s.vms[0].private[g];
    if (ctx.design.arch === 'snp') {
      // sev_vm_move_enc_context_from() -> sev_migrate_from() (arch/x86/kvm/svm/sev.c): the
      // ASID and firmware handle move, the source's ASID becomes 0, and kvm_vm_dead(source_kvm)
      // kills the source. Mainline refuses an SNP source (-EINVAL, "Do not allow SNP VM migration
      // until additional state transfer is implemented"): this is the move a proposal needs,
      // done as for SEV / SEV-ES. No RMP entry is rewritten.
      dst.asid = d.vms[0].asid;
      d.vms[0].asid = 0;
      d.vms[0].bugged = true;
    }
    finish(d, a.slot);
  });
};

/**
 * The seed thread's kvm_gmem_context leaving VM 0 for the destination (gmemContext; no kernel
 * code): with contextMoveInvalidates, the source's bindings are invalidated as a guest_memfd
 * invalidation would (__kvm_gmem_invalidate_begin's walk: begin once, range_add and zap per
 * binding, then kvm_mmu_invalidate_end, so a racing fault of the source retries); then the
 * source's memslots are left without a binding (a fault there gets -EFAULT from the context).
 */
function moveContext(d: D, s: GmemState, ctx: Ctx): void {
  const src = d.vms[0];
  const bindings = bindingsIn(s.vms[0], 0, ctx.bounds.pages);
  if (ctx.design.contextMoveInvalidates && bindings.length > 0) {
    src.inProgress += 1;
    for (const b of bindings) {
      invalidateRangeAdd(d, 0, b.lo, b.hi, ctx);
      zap(d, 0, b.lo, b.hi, () => true, ctx, { want: false, done: false });
    }
    invalidateEnd(d, 0);
  }
  for (const sl of src.slots) sl.bound = false;
  summarise(src);
}

export const link: OpSpec = {
  op: 'link',
  available: (design) => design.linking,
  starts: (s, ctx) =>
    s.vms[0].file !== 'open'
      ? []
      : s.vms.flatMap((v, vm) => (vm > 0 && v.alive && v.file === 'none' ? [wholeFile(vm, ctx.bounds.pages)] : [])),
  first: () => 'kvm_gmem_link',
  steps: { kvm_gmem_link: linkStep },
  actor: () => 'KVM',
};
