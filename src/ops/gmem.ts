/**
 * guest_memfd (virt/kvm/guest_memfd.c): the in-place conversion ioctl of the in-place series,
 * fallocate (allocate, PUNCH_HOLE) and kvm_gmem_release(). Each step cites the kernel function
 * it models (repo torvalds/linux; the conversion ioctl from the in-place conversion series).
 */
import { produce } from './draft.ts';
import type { GmemState, Spte } from '../state.ts';
import type { Ctx, D, OpSpec, StepFn } from './common.ts';
import { finish, goto, isPrivate, lockFree, range } from './common.ts';
import { extraRefs, folioPages, getFolio, putRef, removeFromFilemap, splitFolio, zeroFolio } from './memory.ts';
import { boundVms, installSpte, invalidateBegin, invalidateEnd, zap, zapAll } from './mmu.ts';
import { snpMakeShared, snpPrepare, snpUnbindReclaim } from './arch/snp.ts';
import { iommuInvalidate } from './iommu.ts';
import { conversionStarts, vmConvertStartsFor, vmConvertSteps } from './kvm.ts';
import { rangesOf } from '../bounds.ts';

// ---------------------------------------------------------------------------------------------
// In-place conversion: KVM_SET_MEMORY_ATTRIBUTES2 on the guest_memfd (attributes 'gmem')
// ---------------------------------------------------------------------------------------------

/** Undo an in-place conversion that fails after invalidate begin: end, unlock, return. */
function failAfterBegin(d: D, s: GmemState, slot: number, ctx: Ctx): void {
  for (const vm of boundVms(s, ctx)) invalidateEnd(d, vm);
  d.invalidateLock = -1;
  finish(d, slot);
}

/**
 * filemap_invalidate_lock(); to private: unmap_mapping_pages() (userspace PTEs go, with their
 * references), then every folio of the range must hold only the filemap's reference (plus the
 * caller's), else -EAGAIN with the first bad offset and nothing changed.
 */
const convertLock: StepFn = (s, t, a, ctx) => {
  if (!lockFree(s.invalidateLock, a.slot)) return undefined;
  const { design } = ctx;
  return produce(s, (d) => {
    d.invalidateLock = a.slot;
    if (t.priv && design.unmapUserspaceOnConvert) {
      for (const i of range(t.lo, t.hi)) {
        if (d.umap[i] >= 0) {
          const p = d.umap[i];
          d.umap[i] = -1;
          putRef(d, p, ctx);
        }
      }
    }
    if (t.priv && design.refcountCheck && design.refcountCheckBeforeStore) {
      if (range(t.lo, t.hi).some((i) => d.filemap[i] >= 0 && extraRefs(d, d.filemap[i]) > 0)) {
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
 * A failed TDX removal stops the conversion (-EIO) unless convertAfterFailedRemoval.
 */
const convertBegin: StepFn = (s, t, a, ctx) => {
  const { design } = ctx;
  let bad = false;
  const next = produce(s, (d) => {
    const fail = { want: a.fail, done: false };
    const old = (sp: Spte) => sp.private !== t.priv;
    for (const vm of boundVms(s, ctx)) {
      invalidateBegin(d, vm, t.lo, t.hi, ctx);
      zap(d, vm, t.lo, t.hi, old, ctx, fail);
    }
    if (design.notify.iommu) iommuInvalidate(d, t.lo, t.hi, (m) => m.private !== t.priv);
    if (a.fail && !fail.done) bad = true;
    if (fail.done) {
      d.started.tdxRemoveFail += 1;
      if (!design.convertAfterFailedRemoval) {
        failAfterBegin(d, s, a.slot, ctx);
        return;
      }
    }
    if (!t.priv && (design.archCalls === 'gmem' || design.notify.kvm)) {
      const pages = range(t.lo, t.hi).filter((i) => d.filemap[i] >= 0).map((i) => d.filemap[i]);
      snpMakeShared(d, pages, ctx, design.archCalls === 'gmem');
    }
    goto(d, a.slot, 'kvm_gmem_set_attributes');
  });
  return bad ? undefined : next;
};

/**
 * Store the range's shareability in guest_memfd (and, through the invalidation, KVM's copy).
 * refcountCheckBeforeStore false (bug): each index is checked and flipped in turn, so a pin at a
 * later index fails the call with the earlier ones already converted.
 */
const convertStore: StepFn = (s, t, a, ctx) =>
  produce(s, (d) => {
    const { design } = ctx;
    for (const i of range(t.lo, t.hi)) {
      const pfn = d.filemap[i];
      if (t.priv && design.refcountCheck && !design.refcountCheckBeforeStore && pfn >= 0 && extraRefs(d, pfn) > 0) {
        d.seen.eagain = true;
        if (i > t.lo) d.seen.partialConversion = true;
        failAfterBegin(d, s, a.slot, ctx);
        return;
      }
      d.shared[i] = !t.priv;
      if (design.notify.kvm) for (const vm of boundVms(s, ctx)) d.vms[vm].private[i] = t.priv;
    }
    goto(d, a.slot, 'kvm_gmem_invalidate_end');
  });

/** kvm_gmem_invalidate_end() for every file; filemap_invalidate_unlock(). */
const convertEnd: StepFn = (s, t, a, ctx) =>
  produce(s, (d) => {
    failAfterBegin(d, s, a.slot, ctx);
  });

export const convert: OpSpec = {
  op: 'convert',
  available: () => true,
  starts(s, ctx) {
    if (ctx.design.attributes === 'vm') return vmConvertStartsFor(s, ctx);
    if (!s.vms.some((v) => v.file === 'open')) return [];
    return conversionStarts(s, ctx, [0], (_vm, i) => !s.shared[i]);
  },
  first: (ctx) => (ctx.design.attributes === 'vm' ? 'kvm_mmu_invalidate_begin' : 'filemap_invalidate_lock'),
  steps: {
    ...vmConvertSteps,
    filemap_invalidate_lock: convertLock,
    kvm_gmem_invalidate_begin: convertBegin,
    kvm_gmem_set_attributes: convertStore,
    kvm_gmem_invalidate_end: convertEnd,
  },
  actor: (step) => (step.startsWith('kvm_mmu') || step === 'kvm_vm_set_mem_attributes' ? 'KVM' : 'guest_memfd'),
  mayFailTdx: (step, ctx) =>
    ctx.design.arch === 'tdx' && (step === 'kvm_mmu_invalidate_begin' || step === 'kvm_gmem_invalidate_begin'),
};

// ---------------------------------------------------------------------------------------------
// fallocate(PUNCH_HOLE): kvm_gmem_punch_hole()
// ---------------------------------------------------------------------------------------------

/**
 * filemap_invalidate_lock(); kvm_gmem_invalidate_begin() over every file's bindings with the zap
 * filter (zapFilter 'private-only', the pre-fix form, misses shared SPTEs that map guest_memfd
 * folios in place; 'by-attributes' zaps whatever maps guest_memfd memory); the IOMMU where it
 * maps guest_memfd (notify.iommu).
 */
const punchBegin: StepFn = (s, t, a, ctx) => {
  if (!lockFree(s.invalidateLock, a.slot)) return undefined;
  const { design } = ctx;
  let bad = false;
  const next = produce(s, (d) => {
    d.invalidateLock = a.slot;
    const fail = { want: a.fail, done: false };
    const which = design.zapFilter === 'private-only'
      ? (sp: Spte) => sp.private
      : (sp: Spte) => sp.private || sp.pfn >= 0;
    for (const vm of boundVms(s, ctx)) {
      invalidateBegin(d, vm, t.lo, t.hi, ctx);
      zap(d, vm, t.lo, t.hi, which, ctx, fail);
    }
    if (design.notify.iommu) iommuInvalidate(d, t.lo, t.hi, () => true);
    if (a.fail && !fail.done) bad = true;
    if (fail.done) d.started.tdxRemoveFail += 1;
    goto(d, a.slot, 'truncate_inode_pages_range');
  });
  return bad ? undefined : next;
};

/**
 * truncate_inode_pages_range(): unmap_mapping_range() of userspace PTEs, then each folio wholly
 * inside the range leaves the filemap (freed when its last reference goes). A 2-page folio only
 * half covered is split (the kept half stays); truncateZeroesPartialFolio (bug) instead zeroes
 * the punched half in place (truncate_inode_partial_folio -> folio_zero_range): a host write.
 */
export function truncateRange(d: D, lo: number, hi: number, ctx: Ctx): void {
  for (const i of range(lo, hi)) {
    if (d.umap[i] >= 0) {
      const p = d.umap[i];
      d.umap[i] = -1;
      putRef(d, p, ctx);
    }
  }
  for (const i of range(lo, hi)) {
    const pfn = d.filemap[i];
    if (pfn < 0) continue;
    const pages = folioPages(d, pfn);
    const whole = pages.every((p) => d.pfns[p].index >= lo && d.pfns[p].index < hi);
    if (!whole) {
      if (ctx.design.truncateZeroesPartialFolio) {
        if (isPrivate(d as unknown as GmemState, ctx.design, 0, i)) d.seen.hostWrotePrivate = pfn;
        continue;
      }
      splitFolio(d, pfn);
    }
    removeFromFilemap(d, i, ctx);
  }
}

const punchTruncate: StepFn = (s, t, a, ctx) =>
  produce(s, (d) => {
    truncateRange(d, t.lo, t.hi, ctx);
    goto(d, a.slot, 'kvm_gmem_invalidate_end');
  });

export const punchHole: OpSpec = {
  op: 'punchHole',
  available: () => true,
  starts: (s, ctx) =>
    s.vms.some((v) => v.file === 'open') ? rangesOf(ctx.bounds).map(([lo, hi]) => ({ vm: 0, lo, hi, priv: false, dom: 0 })) : [],
  first: () => 'kvm_gmem_punch_hole',
  steps: {
    kvm_gmem_punch_hole: punchBegin,
    truncate_inode_pages_range: punchTruncate,
    kvm_gmem_invalidate_end: convertEnd,
  },
  actor: () => 'guest_memfd',
  mayFailTdx: (step, ctx) => ctx.design.arch === 'tdx' && step === 'kvm_gmem_punch_hole',
};

// ---------------------------------------------------------------------------------------------
// fallocate(0): kvm_gmem_allocate()
// ---------------------------------------------------------------------------------------------

/**
 * kvm_gmem_allocate(): under filemap_invalidate_lock_shared(), kvm_gmem_get_folio() for each
 * index: allocation only, no zeroing, no prepare, no mapping. fallocatePrepares (bug): it also
 * clears and prepares (rmp_make_private). prefault (rejected in the thread): guest_memfd also
 * maps the folios into every bound VM.
 */
const allocate: StepFn = (s, t, a, ctx) => {
  if (!lockFree(s.invalidateLock, a.slot)) return undefined;
  const { design } = ctx;
  return produce(s, (d) => {
    for (const i of range(t.lo, t.hi)) {
      const pfn = getFolio(d, i, ctx);
      if (pfn < 0) break; // -ENOMEM
      const priv = isPrivate(s, design, 0, i);
      if (design.fallocatePrepares) {
        if (ctx.fx) ctx.fx.gmemPrepare = true;
        zeroFolio(d, pfn, ctx);
        if (priv) snpPrepare(d, folioPages(d, pfn), s.vms[0].asid, ctx, true);
      }
      if (design.prefault) {
        for (const vm of boundVms(s, ctx)) {
          if (d.vms[vm].spte[i]) continue;
          if (ctx.fx) ctx.fx.gmemMap = true;
          installSpte(d, vm, i, { pfn, private: isPrivate(s, design, vm, i), level: 0 }, -1, ctx);
        }
      }
    }
    finish(d, a.slot);
  });
};

export const allocateOp: OpSpec = {
  op: 'allocate',
  available: () => true,
  starts: (s, ctx) =>
    s.vms.some((v) => v.file === 'open') ? rangesOf(ctx.bounds).map(([lo, hi]) => ({ vm: 0, lo, hi, priv: false, dom: 0 })) : [],
  first: () => 'kvm_gmem_allocate',
  steps: { kvm_gmem_allocate: allocate },
  actor: () => 'guest_memfd',
};

// ---------------------------------------------------------------------------------------------
// kvm_gmem_release(): the file's last fput (the first step, fput, is userspace's: userspace.ts)
// ---------------------------------------------------------------------------------------------

/**
 * kvm_gmem_release(): mutex_lock(&kvm->slots_lock); filemap_invalidate_lock(); for each binding:
 * kvm_gmem_invalidate_begin/end (zap this VM's SPTEs of the file), slot->gmem.file = NULL
 * (rmpLifetime 'binding': the proposal reclaims the RMP here); unlink from the inode;
 * kvm_put_kvm(). The memory stays with the inode until the last file goes (then the inode is
 * evicted: truncate_inode_pages_final).
 */
export const release: StepFn = (s, t, a, ctx) => {
  if (!lockFree(s.invalidateLock, a.slot) || !lockFree(s.slotsLock, a.slot)) return undefined;
  return produce(s, (d) => {
    const v = d.vms[t.vm];
    if (v.binding) {
      invalidateBegin(d, t.vm, 0, ctx.bounds.pages, ctx);
      zapAll(d, t.vm, ctx);
      invalidateEnd(d, t.vm);
      v.binding = false;
      snpUnbindReclaim(d, 0, ctx.bounds.pages, ctx);
    }
    v.file = 'released';
    if (!d.vms.some((w) => w.file === 'open' || w.file === 'dying')) {
      // The last file: the inode goes (kvm_gmem_evict_inode -> truncate_inode_pages_final), and
      // the IOMMU, which holds no folio reference, must hear of it like of any truncation.
      if (ctx.design.notify.iommu) iommuInvalidate(d, 0, ctx.bounds.pages, () => true);
      truncateRange(d, 0, ctx.bounds.pages, ctx);
    }
    finish(d, a.slot);
  });
};
