/**
 * The conversion between shared and private, in its two forms: KVM_SET_MEMORY_ATTRIBUTES on the
 * VM (kvm_vm_set_mem_attributes(), virt/kvm/kvm_main.c; designs with attributes 'vm') and the
 * in-place conversion ioctl on the guest_memfd (the in-place conversion series; attributes
 * 'gmem'). Each step cites the kernel function it models (repo torvalds/linux).
 */
import { produce } from '../draft.ts';
import type { GmemState, Spte, Thread } from '../state.ts';
import type { Ctx } from '../kernel/context.ts';
import { lockFree } from '../kernel/locks.ts';
import { dropUserRef, extraRefs } from '../kernel/memory.ts';
import {
  addStraddlingChunks,
  gmemConversionRange,
  gmemInvalidateBegin,
  gmemZapCanFailTdx,
  invalidateEnd,
  invalidateRangeAdd,
  postSetMemoryAttributes,
  zap,
  zapCanFailTdx,
} from '../kernel/mmu.ts';
import { gfnCount, slotsInGfnRange } from '../kernel/memslots.ts';
import { postSetHeadBeforeFix } from '../kernel/lpage-info.ts';
import { gmemArchCaller, snpMakeShared } from '../kernel/snp.ts';
import { iommuInvalidate } from '../kernel/iommu.ts';
import { rangesOf } from '../bounds.ts';
import type { OpSpec, StepFn } from './common.ts';
import { endGmemInvalidation, finish, gmemInvalidateEndStep, goto, openFiles, range } from './common.ts';

// ---------------------------------------------------------------------------------------------
// KVM_SET_MEMORY_ATTRIBUTES: kvm_vm_set_mem_attributes() (virt/kvm/kvm_main.c), attributes 'vm'
// ---------------------------------------------------------------------------------------------

/**
 * mutex_lock(&kvm->slots_lock); kvm_handle_gfn_range(pre_set_range) under mmu_lock
 * (virt/kvm/kvm_main.c kvm_vm_set_mem_attributes): for each live memslot the gfn range meets,
 * clipped to it: at the first, kvm_mmu_invalidate_begin(); then kvm_pre_set_memory_attributes()
 * -> kvm_mmu_invalidate_range_add() of the clipped range, and
 * kvm_arch_pre_set_memory_attributes() -> the straddling huge chunks and kvm_unmap_gfn_range() of
 * the SPTEs of the old type (a TD's private ones through tdx_sept_remove_private_spte, which may
 * fail: KVM_BUG_ON). A range no memslot meets begins nothing. No refcount check: shared and
 * private are different pfns here.
 */
const vmConvertBegin: StepFn = (s, t, a, ctx) => {
  if (!lockFree(s.slotsLock)) return undefined;
  const old = (sp: Spte) => sp.private !== t.priv;
  const slots = slotsInGfnRange(s.vms[t.vm], t.lo, t.hi);
  if (a.fail && !slots.some((r) => zapCanFailTdx(s, t.vm, r.lo, r.hi, old, ctx))) return undefined;
  return produce(s, (d) => {
    d.slotsLock = a.slot;
    if (slots.length > 0) d.vms[t.vm].inProgress += 1;
    const fail = { want: a.fail, done: false };
    for (const r of slots) {
      invalidateRangeAdd(d, t.vm, r.lo, r.hi, ctx);
      // kvm_arch_pre_set_memory_attributes(): the straddling huge chunks (9129633d568e).
      addStraddlingChunks(d, t.vm, r.lo, r.hi, ctx);
      zap(d, t.vm, r.lo, r.hi, old, ctx, fail);
    }
    if (fail.done) d.started.tdxRemoveFail += 1;
    goto(d, a.slot, 'kvm_vm_set_mem_attributes');
  });
};

/** kvm_vm_set_mem_attributes(): xa_store(&kvm->mem_attr_array, ...) for each gfn of the range. */
const vmConvertStore: StepFn = (s, t, a) =>
  produce(s, (d) => {
    for (const g of range(t.lo, t.hi)) d.vms[t.vm].private[g] = t.priv;
    goto(d, a.slot, 'kvm_mmu_invalidate_end');
  });

/**
 * kvm_handle_gfn_range(post_set_range) under mmu_lock (virt/kvm/kvm_main.c
 * kvm_vm_set_mem_attributes): kvm_mmu_invalidate_end(), then
 * kvm_arch_post_set_memory_attributes() writes the lpage mixed flags from the stored attributes,
 * in the same mmu_lock section, so no fault sees the invalidation over with stale flags; then
 * mutex_unlock(&kvm->slots_lock).
 */
const vmConvertEnd: StepFn = (s, t, a, ctx) =>
  produce(s, (d) => {
    // The same memslots as the begin: slots_lock kept them.
    const slots = slotsInGfnRange(s.vms[t.vm], t.lo, t.hi);
    if (slots.length > 0) invalidateEnd(d, t.vm);
    for (const r of slots) {
      postSetMemoryAttributes(d, t.vm, r.lo, r.hi, ctx.bounds.folioPages);
      postSetHeadBeforeFix(d, t.vm, r, t.priv, ctx); // the head huge page before 992b54bd083c
    }
    d.slotsLock = -1;
    finish(d, a.slot);
  });

const vmConvertSteps = {
  kvm_mmu_invalidate_begin: vmConvertBegin,
  kvm_vm_set_mem_attributes: vmConvertStore,
  kvm_mmu_invalidate_end: vmConvertEnd,
};

/** The conversions that would change something: a range not already all of the target. */
function conversionStarts(
  s: GmemState,
  ctx: Ctx,
  vms: number[],
  isPriv: (vm: number, i: number) => boolean,
  n = ctx.bounds.pages,
): Pick<Thread, 'vm' | 'lo' | 'hi' | 'priv' | 'dom'>[] {
  const out = [];
  const targets = ctx.bounds.convertTo === 'both' ? [false, true] : [ctx.bounds.convertTo === 'private'];
  for (const vm of vms) {
    for (const [lo, hi] of rangesOf(ctx.bounds, n)) {
      for (const priv of targets) {
        if (range(lo, hi).some((i) => isPriv(vm, i) !== priv)) out.push({ vm, lo, hi, priv, dom: 0 });
      }
    }
  }
  return out;
}

function vmConvertStartsFor(s: GmemState, ctx: Ctx) {
  const vms = s.vms.map((v, i) => (v.alive && !v.bugged ? i : -1)).filter((i) => i >= 0);
  // KVM_SET_MEMORY_ATTRIBUTES names gfns: ranges over the VM's whole gfn space.
  return conversionStarts(s, ctx, vms, (vm, i) => s.vms[vm].private[i], gfnCount(ctx.bounds));
}

// ---------------------------------------------------------------------------------------------
// In-place conversion: KVM_SET_MEMORY_ATTRIBUTES2 on the guest_memfd (attributes 'gmem')
// ---------------------------------------------------------------------------------------------

/**
 * filemap_invalidate_lock(); to private: unmap_mapping_pages() (userspace PTEs go, with their
 * references), then every folio of the range must hold only the filemap's reference (plus the
 * caller's), else -EAGAIN with the first bad offset and nothing changed.
 */
const convertLock: StepFn = (s, t, a, ctx) => {
  if (!lockFree(s.invalidateLock)) return undefined;
  const { design } = ctx;
  return produce(s, (d) => {
    d.invalidateLock = a.slot;
    if (t.priv && design.unmapUserspaceOnConvert) {
      for (const i of range(t.lo, t.hi)) dropUserRef(d, 'umap', i, ctx);
    }
    if (t.priv && design.refcountCheck && design.refcountCheckBeforeStore) {
      if (range(t.lo, t.hi).some((i) => d.filemap[i] >= 0 && extraRefs(d, d.filemap[i], ctx.bounds.folioPages) > 0)) {
        d.seen.eagain = true;
        d.invalidateLock = -1;
        finish(d, a.slot);
        return;
      }
    }
    goto(d, a.slot, 'kvm_gmem_invalidate_begin');
  });
};

/**
 * kvm_gmem_invalidate_begin() for every file on the inode: kvm_mmu_invalidate_begin() and a zap
 * of the old type (filter from the range's attributes), then the IOMMU where it maps
 * guest_memfd (notify.iommu). To shared: the arch invalidate of the present folios (SNP
 * rmp_make_shared, PSMASH of a 2M entry not fully covered), by guest_memfd (archCalls 'gmem') or
 * by KVM's invalidation handler (archCalls 'kvm', reached only through notify.kvm).
 * A failed TDX removal does not stop the conversion: kvm_gmem_invalidate_begin() returns void
 * and the removal (tdx_sept_remove_private_spte, since ce7b5695397b and kvm-x86 7139c8606505
 * void too) only bugs the VM, so __kvm_gmem_set_attributes() carries on to the store and
 * returns 0 (virt/kvm/guest_memfd.c, in-place series v7 patches 09-11).
 */
const convertBegin: StepFn = (s, t, a, ctx) => {
  const { design } = ctx;
  const old = (sp: Spte) => sp.private !== t.priv;
  if (a.fail && !gmemZapCanFailTdx(s, t.lo, t.hi, old, ctx)) return undefined;
  return produce(s, (d) => {
    const fail = { want: a.fail, done: false };
    // Huge folio series: the invalidation covers whole folios (kvm_gmem_convert_invalidate_begin).
    const [lo, hi] = gmemConversionRange(t.lo, t.hi, ctx.bounds.pages, ctx);
    // Each binding's gfn range, VM by VM (kernel/mmu.ts gmemInvalidateBegin).
    gmemInvalidateBegin(d, s, t.lo, t.hi, old, ctx, fail, lo, hi);
    if (design.notify.iommu) iommuInvalidate(d, t.lo, t.hi, (m) => m.private !== t.priv);
    if (fail.done) d.started.tdxRemoveFail += 1;
    if (!t.priv && (design.archCalls === 'gmem' || design.notify.kvm)) {
      const pages = range(t.lo, t.hi)
        .filter((i) => d.filemap[i] >= 0)
        .map((i) => d.filemap[i]);
      snpMakeShared(d, pages, ctx, gmemArchCaller(ctx));
    }
    goto(d, a.slot, 'kvm_gmem_set_attributes');
  });
};

/**
 * mas_store_prealloc(): the range's attributes in guest_memfd's maple tree (in-place series v7
 * patch 09), the one record: KVM reads it through kvm_gmem_get_memory_attributes.
 * refcountCheckBeforeStore false (bug): each index is checked and flipped in turn, so a pin at a
 * later index fails the call with the earlier ones already converted.
 */
const convertStore: StepFn = (s, t, a, ctx) =>
  produce(s, (d) => {
    const { design } = ctx;
    for (const i of range(t.lo, t.hi)) {
      const pfn = d.filemap[i];
      if (
        t.priv &&
        design.refcountCheck &&
        !design.refcountCheckBeforeStore &&
        pfn >= 0 &&
        extraRefs(d, pfn, ctx.bounds.folioPages) > 0
      ) {
        d.seen.eagain = true;
        endGmemInvalidation(d, s, a.slot, ctx);
        return;
      }
      d.shared[i] = !t.priv; // no per-VM copy: KVM reads guest_memfd's attributes (kvmMemIsPrivate)
    }
    goto(d, a.slot, 'kvm_gmem_invalidate_end');
  });

export const convert: OpSpec = {
  op: 'convert',
  available: () => true,
  starts(s, ctx) {
    if (ctx.design.attributes === 'vm') return vmConvertStartsFor(s, ctx);
    // The ioctl on the guest_memfd (kvm_gmem_ioctl) names an open file, the thread's `vm`: its
    // fdget holds the file until the ioctl returns (ops/close.ts).
    return conversionStarts(s, ctx, openFiles(s), (_vm, i) => !s.shared[i]);
  },
  first: (ctx) => (ctx.design.attributes === 'vm' ? 'kvm_mmu_invalidate_begin' : 'filemap_invalidate_lock'),
  steps: {
    ...vmConvertSteps,
    filemap_invalidate_lock: convertLock,
    kvm_gmem_invalidate_begin: convertBegin,
    kvm_gmem_set_attributes: convertStore,
    kvm_gmem_invalidate_end: gmemInvalidateEndStep,
  },
  actor: (step) => (step.startsWith('kvm_mmu') || step === 'kvm_vm_set_mem_attributes' ? 'KVM' : 'guest_memfd'),
  mayFailTdx: (step, ctx) =>
    ctx.design.arch === 'tdx' && (step === 'kvm_mmu_invalidate_begin' || step === 'kvm_gmem_invalidate_begin'),
};
