/**
 * Populate: kvm_gmem_populate() (virt/kvm/guest_memfd.c) with the arch's post_populate callback,
 * reached through SNP LAUNCH_UPDATE or TDX KVM_TDX_INIT_MEM_REGION (TDH.MEM.PAGE.ADD).
 *
 * Its argument is a gfn: kvm_gmem_populate() finds the memslot (`slot = gfn_to_memslot(kvm,
 * start_gfn)`, -EINVAL without guest_memfd), and __kvm_gmem_populate() the index it binds
 * there (`index = kvm_gmem_get_index(slot, gfn)`, gfn - base_gfn + pgoff). The attribute check
 * and the callback (RMP gpa, mirror SPTE) use the gfn; the folio, the filemap and the folio lock
 * the index. The ioctl holds slots_lock from its first step to its last, so the memslot cannot
 * be deleted or created meanwhile: each step reads the translation off the state.
 */
import { produce } from '../draft.ts';
import type { GmemState } from '../state.ts';
import type { Ctx, D } from '../kernel/context.ts';
import { lockFree, mmapReadable } from '../kernel/locks.ts';
import { folioLockedByUserFault, folioPages, getFolio } from '../kernel/memory.ts';
import { snpLaunchUpdate } from '../kernel/snp.ts';
import { tdxPageAdd } from '../kernel/tdx.ts';
import type { OpSpec, StepFn } from './common.ts';
import { finish, goto } from './common.ts';
import { indexOfGfn, slotOfGfn } from '../kernel/memslots.ts';
import type { Thread } from '../state.ts';

/**
 * The SNP / TDX ioctls hold kvm->slots_lock around kvm_gmem_populate() (snp_launch_update,
 * tdx_vcpu_init_mem_region): taken by the first step, dropped by the last, which serializes
 * populate with KVM_SET_MEMORY_ATTRIBUTES.
 */
function endPopulate(d: D, slot: number): void {
  if (d.slotsLock === slot) d.slotsLock = -1;
  if (d.invalidateLock === slot) d.invalidateLock = -1;
  finish(d, slot);
}

/** Populate's first step: the ioctl's, which takes slots_lock (no later step takes it again). */
function firstStep(ctx: Ctx): string {
  if (ctx.design.arch === 'tdx' && ctx.design.tdxPremap) return 'kvm_tdp_map_page';
  return ctx.design.populateGupBeforeLock ? 'get_user_pages_fast' : 'filemap_invalidate_lock';
}

/** slots_lock can be had: free if this step takes it, already this thread's otherwise. */
function slotsReady(s: GmemState, step: string, ctx: Ctx): boolean {
  return step !== firstStep(ctx) || lockFree(s.slotsLock);
}

/**
 * The index populate's gfn maps (kvm_gmem_get_index(slot, gfn)) through the memslot it lies in,
 * or -1 where that memslot is gone or no longer bound (__kvm_gmem_get_pfn: -EFAULT / -EIO).
 */
function populateIndex(s: GmemState, t: Thread): number {
  const v = s.vms[t.vm];
  const k = slotOfGfn(v, t.lo);
  return k >= 0 && v.slots[k].bound ? indexOfGfn(v, t.lo) : -1;
}

/**
 * Is the gfn PRIVATE: KVM's mem_attr_array at the gfn (kvm_range_has_memory_attributes), or
 * where guest_memfd owns shareability ('gmem'), its own at the index.
 */
function populatePrivate(s: GmemState, vm: number, gfn: number, index: number, ctx: Ctx): boolean {
  return ctx.design.attributes === 'vm' ? s.vms[vm].private[gfn] : !s.shared[index];
}

/** The gfn is PRIVATE and (SNP) its RMP entry unassigned, (TDX) not in the S-EPT. */
function populateAllowed(s: GmemState, vm: number, gfn: number, index: number, ctx: Ctx): boolean {
  if (index < 0 || !populatePrivate(s, vm, gfn, index, ctx)) return false;
  const pfn = s.filemap[index];
  if (pfn < 0) return true;
  return s.pfns[pfn].rmpAsid === 0 && s.pfns[pfn].sept < 0 && !s.pfns[pfn].uptodate;
}

/**
 * tdxPremap (pre-fix TDX): KVM_TDX_INIT_MEM_REGION (tdx_vcpu_init_mem_region, arch/x86/kvm/vmx/tdx.c)
 * first maps the gfn with kvm_tdp_map_page():
 * the mirror SPTE is installed and tdx_sept_set_private_spte() only counts it (nr_premapped);
 * TDH.MEM.PAGE.ADD comes later, in the post_populate callback.
 */
const premap: StepFn = (s, t, a, ctx) => {
  if (!lockFree(s.slotsLock)) return undefined;
  return produce(s, (d) => {
    d.slotsLock = a.slot;
    // The premap is a private fault (kvm_tdp_map_page with PFERR_PRIVATE_ACCESS): on a gfn
    // that is not PRIVATE, kvm_mmu_faultin_pfn exits (KVM_EXIT_MEMORY_FAULT) and populate fails;
    // kvm_gmem_get_pfn takes the folio at the index the memslot binds the gfn at.
    const i = populateIndex(s, t);
    const pfn = i >= 0 && populatePrivate(s, t.vm, t.lo, i, ctx) ? getFolio(d, i, ctx) : -1;
    if (pfn < 0 || d.vms[t.vm].spte[t.lo]) {
      endPopulate(d, a.slot);
      return;
    }
    d.vms[t.vm].spte[t.lo] = { pfn, private: true, level: 0 };
    goto(d, a.slot, ctx.design.populateGupBeforeLock ? 'get_user_pages_fast' : 'filemap_invalidate_lock');
  });
};

/**
 * GUP of the source page (get_user_pages_fast -> the slow path under mmap_read_lock(), held for
 * this step; it waits while an mmap_lock writer holds it or is queued). populateGupBeforeLock
 * (2a62345b30529): before filemap_invalidate_lock; pre-fix: inside it, so that populate holds
 * invalidate_lock while it asks for mmap_lock, and the in-place userspace fault holds mmap_lock
 * while it asks for invalidate_lock. Two readers of mmap_lock do not exclude each other: the
 * cycle closes when an mmap_lock writer (munmap) queues between them. populateChecksUnderLock
 * false (bug): the PRIVATE / RMP check is done here, before the lock, and is stale by the time
 * populate writes.
 */
const gup: StepFn = (s, t, a, ctx) => {
  if (!mmapReadable(s) || !slotsReady(s, a.step, ctx)) return undefined;
  return produce(s, (d) => {
    d.slotsLock = a.slot;
    if (!ctx.design.populateChecksUnderLock && !populateAllowed(s, t.vm, t.lo, populateIndex(s, t), ctx)) {
      endPopulate(d, a.slot);
      return;
    }
    goto(d, a.slot, ctx.design.populateGupBeforeLock ? 'kvm_gmem_populate' : 'post_populate');
  });
};

/** Pre-fix order: filemap_invalidate_lock() first, held across the GUP. */
const lockFirst: StepFn = (s, t, a) => {
  if (!lockFree(s.invalidateLock) || !lockFree(s.slotsLock)) return undefined;
  return produce(s, (d) => {
    d.slotsLock = a.slot;
    d.invalidateLock = a.slot;
    goto(d, a.slot, 'get_user_pages');
  });
};

/**
 * kvm_gmem_populate() under filemap_invalidate_lock: the gfn must be PRIVATE
 * (kvm_range_has_memory_attributes) and the folio not yet prepared; the callback copies the
 * source and assigns the page: SNP sev_gmem_post_populate() (rmp_make_private +
 * SNP_LAUNCH_UPDATE; the RMP entry must be unassigned), TDX tdx_gmem_post_populate()
 * (TDH.MEM.PAGE.ADD, then the mirror SPTE; with tdxPremap the mirror was installed first and
 * a failed ADD leaves it behind). Then filemap_invalidate_unlock(). kvm_gmem_populate takes the
 * lock in this step; post_populate (the pre-2a62345b30529 order) runs with it already held.
 * tdxPostPopulateRefaults (before 3ab3283dbb2c): the TDX callback maps the page by simulating
 * a fault, in its own step (refault below).
 */
const write: StepFn = (s, t, a, ctx) => {
  if (a.step === 'kvm_gmem_populate' && !lockFree(s.invalidateLock)) return undefined;
  const i = populateIndex(s, t);
  // __kvm_gmem_get_pfn -> kvm_gmem_get_folio: the folio lock (a userspace fault may hold it).
  if (i >= 0 && folioLockedByUserFault(s, i, ctx.bounds.folioPages)) return undefined;
  const { design } = ctx;
  if (a.fail && (design.arch !== 'tdx' || !design.tdxPremap)) return undefined;
  return produce(s, (d) => {
    d.invalidateLock = a.slot;
    const ok = design.populateChecksUnderLock ? populateAllowed(s, t.vm, t.lo, i, ctx) : i >= 0;
    if (!ok) {
      endPopulate(d, a.slot); // -EINVAL / -EEXIST (-EFAULT / -EIO: the memslot is gone)
      return;
    }
    const pfn = getFolio(d, i, ctx);
    if (pfn < 0) {
      endPopulate(d, a.slot);
      return;
    }
    if (ctx.fx) {
      const p = s.filemap[i];
      ctx.fx.populate = {
        gfn: t.lo,
        index: i,
        private: populatePrivate(s, t.vm, t.lo, i, ctx),
        unassigned: p < 0 || s.pfns[p].rmpAsid === 0,
      };
    }
    if (a.fail) {
      d.started.tdxRemoveFail += 1; // TDH.MEM.PAGE.ADD failed: the premapped mirror SPTE stays
      endPopulate(d, a.slot);
      return;
    }
    if (design.arch === 'tdx' && design.tdxPostPopulateRefaults) {
      goto(d, a.slot, 'tdx_gmem_post_populate');
      return;
    }
    commitPopulate(d, s, t.vm, t.lo, pfn, ctx);
    endPopulate(d, a.slot);
  });
};

/** The callback's writes: the source copied in, SNP rmp_make_private, TDX PAGE.ADD + mirror SPTE. */
function commitPopulate(d: D, s: GmemState, vm: number, gfn: number, pfn: number, ctx: Ctx): void {
  const { design } = ctx;
  for (const p of folioPages(d, pfn, ctx.bounds.folioPages)) {
    d.pfns[p].zeroed = true;
    d.pfns[p].uptodate = true;
  }
  snpLaunchUpdate(d, pfn, gfn, s.vms[vm].asid, ctx);
  if (design.arch === 'tdx') {
    tdxPageAdd(d, pfn, vm, ctx);
    if (!d.vms[vm].spte[gfn]) d.vms[vm].spte[gfn] = { pfn, private: true, level: 0 };
  }
}

/**
 * tdxPostPopulateRefaults: tdx_gmem_post_populate() (arch/x86/kvm/vmx/tdx.c, v6.16-v6.18) maps
 * the gfn with kvm_tdp_map_page(): a simulated private fault, kvm_mmu_faultin_pfn ->
 * kvm_gmem_get_pfn, while kvm_gmem_populate holds filemap_invalidate_lock exclusive; then
 * TDH.MEM.PAGE.ADD. Mainline's kvm_gmem_get_pfn takes no invalidate_lock, so the fault goes
 * through; the in-place series' takes it shared, so the thread waits for itself: a
 * self-deadlock. 3ab3283dbb2c ("KVM: x86/mmu: Add dedicated API to map guest_memfd pfn into TDP
 * MMU") maps the pfn populate already holds instead (kvm_tdp_mmu_map_private_pfn): the write step.
 */
const refault: StepFn = (s, t, a, ctx) => {
  if (ctx.design.attributes === 'gmem' && !lockFree(s.invalidateLock)) return undefined;
  const i = populateIndex(s, t);
  return produce(s, (d) => {
    if (i >= 0) commitPopulate(d, s, t.vm, t.lo, s.filemap[i], ctx);
    endPopulate(d, a.slot);
  });
};

export const populate: OpSpec = {
  op: 'populate',
  available: (design) => design.arch !== 'none',
  starts(s) {
    const out = [];
    for (let vm = 0; vm < s.vms.length; vm++) {
      const v = s.vms[vm];
      if (!v.alive || v.bugged || !v.binding || v.file !== 'open') continue;
      // One start per gfn of a live memslot bound to the file (kvm_slot_has_gmem); at any other
      // gfn kvm_gmem_populate returns -EINVAL before it changes anything.
      for (let g = 0; g < v.spte.length; g++) {
        const k = slotOfGfn(v, g);
        if (k >= 0 && v.slots[k].state === 'live' && v.slots[k].bound)
          out.push({ vm, lo: g, hi: g + 1, priv: true, dom: 0 });
      }
    }
    return out;
  },
  first: firstStep,
  steps: {
    kvm_tdp_map_page: premap,
    get_user_pages_fast: gup,
    filemap_invalidate_lock: lockFirst,
    get_user_pages: gup,
    kvm_gmem_populate: write,
    post_populate: write,
    tdx_gmem_post_populate: refault,
  },
  actor: (step) =>
    step === 'kvm_gmem_populate' || step === 'filemap_invalidate_lock'
      ? 'guest_memfd'
      : step === 'post_populate' || step === 'tdx_gmem_post_populate'
        ? 'arch'
        : 'KVM',
  mayFailTdx: (step, ctx) =>
    ctx.design.arch === 'tdx' && ctx.design.tdxPremap && (step === 'kvm_gmem_populate' || step === 'post_populate'),
};
