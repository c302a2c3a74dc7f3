/**
 * Populate: kvm_gmem_populate() (virt/kvm/guest_memfd.c) with the arch's post_populate callback,
 * reached through SNP LAUNCH_UPDATE or TDX KVM_TDX_INIT_MEM_REGION (TDH.MEM.PAGE.ADD).
 */
import { produce } from '../draft.ts';
import type { GmemState } from '../state.ts';
import type { Ctx, D } from '../kernel/context.ts';
import { isPrivate } from '../kernel/attributes.ts';
import { lockFree } from '../kernel/locks.ts';
import { folioPages, getFolio } from '../kernel/memory.ts';
import { snpLaunchUpdate } from '../kernel/snp.ts';
import { tdxPageAdd } from '../kernel/tdx.ts';
import type { OpSpec, StepFn } from './common.ts';
import { finish, goto } from './common.ts';

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

/** Take slots_lock if this is populate's first step. */
function holdSlots(s: GmemState, slot: number): boolean {
  return lockFree(s.slotsLock, slot);
}

/** The gfn is PRIVATE and (SNP) its RMP entry unassigned, (TDX) not in the S-EPT. */
function populateAllowed(s: GmemState, gfn: number, vm: number, ctx: Ctx): boolean {
  if (!isPrivate(s, ctx.design, vm, gfn)) return false;
  const pfn = s.filemap[gfn];
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
  if (!holdSlots(s, a.slot)) return undefined;
  return produce(s, (d) => {
    d.slotsLock = a.slot;
    // The premap is a private fault (kvm_tdp_map_page with PFERR_PRIVATE_ACCESS): on a gfn
    // that is not PRIVATE, kvm_mmu_faultin_pfn exits (KVM_EXIT_MEMORY_FAULT) and populate fails.
    const pfn = isPrivate(s, ctx.design, t.vm, t.lo) ? getFolio(d, t.lo, ctx) : -1;
    if (pfn < 0 || d.vms[t.vm].spte[t.lo]) {
      endPopulate(d, a.slot);
      return;
    }
    d.vms[t.vm].spte[t.lo] = { pfn, private: true, level: 0 };
    goto(d, a.slot, ctx.design.populateGupBeforeLock ? 'get_user_pages_fast' : 'filemap_invalidate_lock');
  });
};

/**
 * GUP of the source page (get_user_pages_fast -> a fault under mmap_lock). populateGupBeforeLock
 * (the fix): before filemap_invalidate_lock; pre-fix: inside it, so that populate takes
 * invalidate_lock then mmap_lock while a userspace fault on a guest_memfd mmap takes mmap_lock
 * then invalidate_lock. populateChecksUnderLock false (bug): the PRIVATE / RMP check is done
 * here, before the lock, and is stale by the time populate writes.
 */
const gup: StepFn = (s, t, a, ctx) => {
  if (!lockFree(s.mmapLock, a.slot) || !holdSlots(s, a.slot)) return undefined;
  return produce(s, (d) => {
    d.slotsLock = a.slot;
    if (!ctx.design.populateChecksUnderLock && !populateAllowed(s, t.lo, t.vm, ctx)) {
      endPopulate(d, a.slot);
      return;
    }
    goto(d, a.slot, ctx.design.populateGupBeforeLock ? 'kvm_gmem_populate' : 'post_populate');
  });
};

/** Pre-fix order: filemap_invalidate_lock() first, held across the GUP. */
const lockFirst: StepFn = (s, t, a) => {
  if (!lockFree(s.invalidateLock, a.slot) || !holdSlots(s, a.slot)) return undefined;
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
 * a failed ADD leaves it behind). Then filemap_invalidate_unlock().
 */
const write: StepFn = (s, t, a, ctx) => {
  if (!lockFree(s.invalidateLock, a.slot)) return undefined;
  const { design } = ctx;
  if (a.fail && (design.arch !== 'tdx' || !design.tdxPremap)) return undefined;
  return produce(s, (d) => {
    const ok = design.populateChecksUnderLock ? populateAllowed(s, t.lo, t.vm, ctx) : true;
    if (!ok) {
      endPopulate(d, a.slot); // -EINVAL / -EEXIST
      return;
    }
    const pfn = getFolio(d, t.lo, ctx);
    if (pfn < 0) {
      endPopulate(d, a.slot);
      return;
    }
    if (ctx.fx) {
      const p = s.filemap[t.lo];
      ctx.fx.populate = {
        gfn: t.lo,
        private: isPrivate(s, design, t.vm, t.lo),
        unassigned: p < 0 || s.pfns[p].rmpAsid === 0,
      };
    }
    if (a.fail) {
      d.started.tdxRemoveFail += 1; // TDH.MEM.PAGE.ADD failed: the premapped mirror SPTE stays
      endPopulate(d, a.slot);
      return;
    }
    for (const p of folioPages(d, pfn)) {
      d.pfns[p].zeroed = true;
      d.pfns[p].uptodate = true;
    }
    snpLaunchUpdate(d, pfn, t.lo, s.vms[t.vm].asid, ctx);
    if (design.arch === 'tdx') {
      tdxPageAdd(d, pfn, t.vm, ctx);
      if (!d.vms[t.vm].spte[t.lo]) d.vms[t.vm].spte[t.lo] = { pfn, private: true, level: 0 };
    }
    endPopulate(d, a.slot);
  });
};

export const populate: OpSpec = {
  op: 'populate',
  available: (design) => design.arch !== 'none',
  starts(s, ctx) {
    const out = [];
    for (let vm = 0; vm < s.vms.length; vm++) {
      const v = s.vms[vm];
      if (!v.alive || v.bugged || !v.binding || v.file !== 'open') continue;
      for (let g = 0; g < ctx.bounds.pages; g++) out.push({ vm, lo: g, hi: g + 1, priv: true, dom: 0 });
    }
    return out;
  },
  first: (ctx) =>
    ctx.design.arch === 'tdx' && ctx.design.tdxPremap ? 'kvm_tdp_map_page'
      : ctx.design.populateGupBeforeLock ? 'get_user_pages_fast' : 'filemap_invalidate_lock',
  steps: {
    kvm_tdp_map_page: premap,
    get_user_pages_fast: gup,
    filemap_invalidate_lock: lockFirst,
    get_user_pages: gup,
    kvm_gmem_populate: write,
    post_populate: write,
  },
  actor: (step) => (step === 'kvm_gmem_populate' || step === 'filemap_invalidate_lock' ? 'guest_memfd' : step === 'post_populate' ? 'arch' : 'KVM'),
  mayFailTdx: (step, ctx) => ctx.design.arch === 'tdx' && ctx.design.tdxPremap && (step === 'kvm_gmem_populate' || step === 'post_populate'),
};
