/**
 * The vCPU fault: kvm_mmu_faultin_pfn() and kvm_tdp_mmu_map() (arch/x86/kvm/mmu/mmu.c), with
 * kvm_gmem_get_pfn() (virt/kvm/guest_memfd.c). Each step cites the kernel function it models
 * (repo torvalds/linux).
 */
import { produce } from '../draft.ts';
import type { GmemState, Thread } from '../state.ts';
import type { Ctx, D } from '../kernel/context.ts';
import { isPrivate, kvmMemIsPrivate } from '../kernel/attributes.ts';
import { folioPages, getFolio, getRef, putRef, zeroFolio, folioLockedByUserFault } from '../kernel/memory.ts';
import { lockFree } from '../kernel/locks.ts';
import { installSpte, mappingLevel, spteAt } from '../kernel/mmu.ts';
import { indexOfGfn, slotOfGfn } from '../kernel/memslots.ts';
import { snpMaxMappingLevel, snpPrepare } from '../kernel/snp.ts';
import type { OpSpec, StepFn } from './common.ts';
import { finish, goto, moveThread } from './common.ts';

/** Can `vm` run a vCPU at all: alive, not bugged, a memslot, and (SNP) its ASID not migrated away. */
function vcpuCanRun(s: GmemState, vm: number, ctx: Ctx): boolean {
  const v = s.vms[vm];
  return v.alive && !v.bugged && v.memslot && !(ctx.design.arch === 'snp' && v.asid === 0);
}

/** An invalidation in progress covers the fault's gfn (mmu_invalidate_retry_gfn's range test). */
function gfnInvalidating(s: GmemState, t: Thread, ctx: Ctx): boolean {
  const v = s.vms[t.vm];
  return ctx.design.invalidateRetry && v.inProgress > 0 && t.lo >= v.rangeLo && t.lo < v.rangeHi;
}

/**
 * kvm_mmu_faultin_pfn(): `fault->mmu_seq = kvm->mmu_invalidate_seq; smp_rmb();` before anything
 * that can race with an invalidation is looked up.
 *
 * Departure: while an invalidation in progress covers the gfn the step is not enabled. The
 * kernel's fault would snapshot, find the gfn in the range (mmu_invalidate_retry_gfn_unsafe,
 * before kvm_gmem_get_pfn, so with no page taken) and return RET_PF_RETRY, re-entering the guest
 * and faulting again until the invalidation ends; the model keeps only the last of those faults,
 * which keeps retry loops that only an unfair scheduler could follow out of the liveness check.
 */
const snapshot: StepFn = (s, t, a, ctx) => {
  // A retried fault whose VM can no longer run (memslot deleted, VM bugged or migrated away)
  // returns to userspace (-EFAULT / KVM_REQ_VM_DEAD); `fault.starts` never starts one there.
  const k = slotOfGfn(s.vms[t.vm], t.lo);
  if (!vcpuCanRun(s, t.vm, ctx) || k < 0) return moveThread(s, a.slot, null);
  // kvm_faultin_pfn(): a memslot being deleted (KVM_MEMSLOT_INVALID) means RET_PF_RETRY until
  // the deletion is done (arch/x86/kvm/mmu/mmu.c); the model waits here, as for an invalidation.
  if (s.vms[t.vm].slots[k].state === 'invalid') return undefined;
  if (gfnInvalidating(s, t, ctx)) return undefined;
  const pc = ctx.design.faultCheck === 'query' ? 'kvm_mem_is_private' : 'kvm_gmem_get_pfn';
  return moveThread(s, a.slot, { ...t, seq: s.vms[t.vm].seq, pc });
};

/**
 * kvm_mmu_faultin_pfn() (arch/x86/kvm/mmu/mmu.c): `if (fault->is_private !=
 * kvm_mem_is_private(kvm, fault->gfn))` -> kvm_mmu_prepare_memory_fault_exit(); return -EFAULT:
 * KVM_EXIT_MEMORY_FAULT in both directions (flags PRIVATE iff the access was private), before
 * any page is taken. kvm_mem_is_private reads KVM's mem_attr_array ('vm') or, in the in-place
 * series, guest_memfd's attributes through the static call, with no lock (kvmMemIsPrivate). A
 * shared fault outside in-place designs then takes its pfn from the memslot's userspace address
 * (__kvm_faultin_pfn, hva_to_pfn): memory that is not guest_memfd's (pfn -1 in the model; folded
 * into this step).
 */
const query: StepFn = (s, t, a, ctx) => {
  if (kvmMemIsPrivate(s, ctx.design, t.vm, t.lo) !== t.priv) {
    const seen = t.priv ? { ...s.seen, memoryFault: true } : { ...s.seen, sharedFaultExit: true };
    return moveThread({ ...s, seen }, a.slot, null); // KVM_EXIT_MEMORY_FAULT
  }
  if (!t.priv && !ctx.design.inPlaceConversion) return moveThread(s, a.slot, { ...t, pc: 'kvm_tdp_mmu_map' });
  return moveThread(s, a.slot, { ...t, pc: 'kvm_gmem_get_pfn' });
};

/**
 * fault->max_level as kvm_mmu_faultin_pfn() leaves it, before mmu_lock: kvm_max_level_for_order()
 * of guest_memfd's max_order, capped by the arch (kvm_gmem_max_mapping_level ->
 * gmem_max_mapping_level: SEV-SNP's RMP entry size). max_order is the folio's order: 0 in
 * mainline and in-place v7; in the huge folio series a folio holding a shared index is split,
 * so max_order is 0 there (virt/kvm/guest_memfd.c kvm_gmem_try_split_folio_in_filemap,
 * kvm_gmem_mapping_order, 1G HugeTLB RFC v2), read from guest_memfd's shareability of the chunk
 * (departure: the model keeps the folio whole and reads the split off the shareability). The
 * attribute part KVM itself adds (lpage mixed flags) is read at install, under mmu_lock.
 */
function faultinMaxLevel(d: D, t: Thread, index: number, pfn: number, ctx: Ctx): 0 | 1 {
  const { design } = ctx;
  if (!design.hugepages || !d.pfns[pfn].huge) return 0;
  // A huge folio maps huge only where the gfn and the index are equally aligned (departure:
  // the model has no partial-folio huge mapping; the kernel's max_order is the folio's).
  const n = ctx.bounds.folioPages;
  if (t.lo % n !== index % n) return 0;
  const g = index - (index % n);
  if (design.attributes === 'gmem' && design.levelChecksMixedAttributes && d.shared.slice(g, g + n).some((x) => x))
    return 0;
  // sev_gmem_max_mapping_level() (arch/x86/kvm/svm/sev.c), for private faults: 4K unless a 2M RMP entry covers the pfn.
  if (design.arch === 'snp' && t.priv && snpMaxMappingLevel(d, pfn) === 0) return 0;
  return 1;
}

/**
 * kvm_gmem_get_pfn() (virt/kvm/guest_memfd.c): kvm_gmem_get_file() must find a live file
 * (get_file_active) bound to the slot; the folio is allocated on first touch
 * (kvm_gmem_get_folio), cleared once (!folio_test_uptodate), prepared (kvm_gmem_prepare_folio
 * -> kvm_arch_gmem_prepare: SNP rmp_make_private; when, per design, below) and returned with a
 * reference; max_order gives the level cap (kvm_gmem_max_mapping_level). faultCheck
 * 'fault-type': guest_memfd compares the fault type with its shareability and refuses.
 */
const getPfn: StepFn = (s, t, a, ctx) => {
  const { design } = ctx;
  // In-place series v7 (patches 01, 07), virt/kvm/guest_memfd.c kvm_gmem_get_pfn:
  // filemap_invalidate_lock_shared() around the whole call, so the step waits while a
  // conversion, PUNCH_HOLE, bind or release holds it exclusive (a populate holding it too: the
  // pre-3ab3283dbb2c TDX refault deadlocks here). Mainline takes no invalidate_lock.
  if (design.attributes === 'gmem' && !lockFree(s.invalidateLock)) return undefined;
  // kvm_gmem_get_folio() -> filemap_lock_folio(): waits while a userspace fault holds the folio locked.
  // The memslot's binding: index = gfn - base_gfn + pgoff (kernel/memslots.ts).
  const v = s.vms[t.vm];
  const k = slotOfGfn(v, t.lo);
  const index = indexOfGfn(v, t.lo);
  if (index >= 0 && folioLockedByUserFault(s, index, ctx.bounds.folioPages)) return undefined;
  return produce(s, (d) => {
    // kvm_gmem_get_file(slot): the slot's file, if still bound and live (-EFAULT otherwise).
    if (v.file !== 'open' || k < 0 || !v.slots[k].bound) {
      finish(d, a.slot); // -EFAULT
      return;
    }
    if (design.faultCheck === 'fault-type' && isPrivate(s, design, t.vm, index) !== t.priv) {
      // guest_memfd refuses the mismatch: KVM_EXIT_MEMORY_FAULT in either direction.
      if (t.priv) d.seen.memoryFault = true;
      else d.seen.sharedFaultExit = true;
      finish(d, a.slot);
      return;
    }
    const pfn = getFolio(d, index, ctx);
    if (pfn < 0) {
      finish(d, a.slot); // -ENOMEM
      return;
    }
    // The 1G HugeTLB series (RFC v2, on v6.15-rc6) keeps mainline's preparation tracking of its
    // base: __kvm_gmem_get_pfn() reads `*is_prepared = folio_test_uptodate(folio)` and
    // kvm_gmem_get_pfn() calls kvm_gmem_prepare_folio() only `if (!is_prepared)`; that one
    // zeroes the whole folio (folio_zero_user), calls kvm_arch_gmem_prepare() with the folio's
    // head pfn and order, and marks the folio uptodate. Shareability is not read: a shared page
    // is prepared too, and an uptodate one, private again, is not prepared again.
    const prepared = d.pfns[folioPages(d, pfn, ctx.bounds.folioPages)[0]].uptodate;
    zeroFolio(d, pfn, ctx);
    // kvm_gmem_prepare_folio -> kvm_arch_gmem_prepare (SNP sev_gmem_prepare: rmp_make_private).
    // Mainline since 8622ef05709f ("KVM: guest_memfd: Remove preparation tracking"): on every
    // call, zeroing alone keyed on !folio_test_uptodate (sev_gmem_prepare returns at once for an
    // assigned entry); only private faults reach guest_memfd there. In-place series v7 patch 07
    // ("Only prepare folios for private pages"): on every call iff kvm_gmem_is_private_mem(inode,
    // index), read here under the shared invalidate_lock, whatever the fault type.
    const prepare = design.hugetlb ? !prepared : design.attributes === 'gmem' ? !s.shared[index] : true;
    if (prepare && design.archCalls === 'gmem') snpPrepare(d, pfn, t.lo, v.asid, ctx, 'guest_memfd');
    // `*page = folio_file_page(folio, index)`: the folio reference goes to KVM with the pfn
    // (fault->refcounted_page), in mainline and in the series alike; KVM drops it in
    // kvm_mmu_finish_page_fault() -> kvm_release_faultin_page() after the install or on
    // RET_PF_RETRY (install below); it is not dropped before kvm_gmem_get_pfn returns.
    getRef(d, pfn);
    const th = d.threads[a.slot]!;
    th.pfn = pfn;
    th.level = faultinMaxLevel(d, t, index, pfn, ctx);
    goto(d, a.slot, 'kvm_tdp_mmu_map');
  });
};

/**
 * Under mmu_lock: is_page_fault_stale() -> mmu_invalidate_retry_gfn(): an invalidation in
 * progress whose range holds fault->gfn, or a sequence that moved since the snapshot, means
 * RET_PF_RETRY; else kvm_tdp_mmu_map() installs the SPTE. Either way kvm_mmu_finish_page_fault()
 * -> kvm_release_faultin_page(kvm, fault->refcounted_page, r == RET_PF_RETRY, ...) drops the
 * folio reference at once, still under mmu_lock (arch/x86/kvm/mmu/mmu.c, kvm_tdp_mmu_page_fault
 * `out_unlock:`): KVM keeps no reference for the SPTE and none across a retry. A retry goes back
 * to the snapshot, which waits there while the invalidation is in progress.
 */
const install: StepFn = (s, t, a, ctx) => {
  const { design } = ctx;
  const v = s.vms[t.vm];
  return produce(s, (d) => {
    const dropRef = () => {
      if (t.pfn >= 0) putRef(d, t.pfn, ctx);
    };
    if (v.bugged || !v.alive) {
      dropRef();
      finish(d, a.slot);
      return;
    }
    if (gfnInvalidating(s, t, ctx) || (design.invalidateRetry && v.seq !== t.seq)) {
      dropRef();
      d.seen.retried = true;
      const th = d.threads[a.slot]!;
      th.seq = -1;
      th.pfn = -1;
      th.level = 0;
      goto(d, a.slot, 'kvm_mmu_faultin_pfn');
      return;
    }
    if (!spteAt(v, t.lo, ctx.bounds.folioPages)) {
      if (t.priv && t.pfn >= 0 && design.archCalls === 'kvm') {
        // The proposal: KVM, not guest_memfd, makes the pages private before it maps them.
        snpPrepare(d, t.pfn, t.lo, v.asid, ctx, 'KVM');
      }
      // kvm_tdp_mmu_map() -> kvm_mmu_hugepage_adjust() (arch/x86/kvm/mmu/mmu.c): the level is
      // decided here, under mmu_lock after the retry check, from lpage_info's mixed flags and
      // the host / guest_memfd level (mappingLevel). A huge SPTE needs every gfn of the chunk
      // empty (else KVM maps 4K: departure, the kernel would replace the lower-level table).
      const n = ctx.bounds.folioPages;
      const g = t.lo - (t.lo % n);
      const empty = () => v.spte.slice(g, g + n).every((x) => !x);
      const level = mappingLevel(v, t.lo, t.level, t.pfn >= 0, ctx) === 1 && empty() ? 1 : 0;
      const pfn = level === 1 && t.pfn >= 0 ? t.pfn - (t.pfn % n) : t.pfn;
      installSpte(d, t.vm, t.lo, { pfn, private: t.priv, level }, a.slot, ctx);
    }
    dropRef();
    finish(d, a.slot);
  });
};

export const fault: OpSpec = {
  op: 'fault',
  available: () => true,
  starts(s, ctx) {
    const out = [];
    const types = ctx.bounds.faultType === 'both' ? [true, false] : [ctx.bounds.faultType === 'private'];
    for (let vm = 0; vm < s.vms.length; vm++) {
      if (!vcpuCanRun(s, vm, ctx)) continue;
      // Every gfn of a live memslot (a gfn outside every memslot exits as MMIO: not modelled).
      for (let g = 0; g < s.vms[vm].spte.length; g++) {
        const k = slotOfGfn(s.vms[vm], g);
        if (k < 0 || s.vms[vm].slots[k].state !== 'live') continue;
        for (const priv of types) out.push({ vm, lo: g, hi: g + 1, priv, dom: 0 });
      }
    }
    return out;
  },
  first: () => 'kvm_mmu_faultin_pfn',
  steps: {
    kvm_mmu_faultin_pfn: snapshot,
    kvm_mem_is_private: query,
    kvm_gmem_get_pfn: getPfn,
    kvm_tdp_mmu_map: install,
  },
  actor: (step) => (step === 'kvm_gmem_get_pfn' ? 'guest_memfd' : 'KVM'),
};
