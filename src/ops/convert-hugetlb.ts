/**
 * The conversion of the 1G HugeTLB series (RFC v2, googleprodkernel/linux-cc
 * gmem-1g-page-support-rfc-v2, virt/kvm/guest_memfd.c kvm_gmem_convert_range), for designs with
 * `hugetlb`: invalidate begin over the huge range before the safe-refcount check, the attribute
 * store, then the split (to shared) or merge (to private) of the huge folios, rolled back when it
 * fails. Every step runs under invalidate_lock exclusive; the steps are where lock-free readers
 * (KVM's fault: kvm_mem_is_private, the install under mmu_lock) and reference holders race it.
 *
 * The work list (kvm_gmem_convert_compute_work: the indices not already of the target) and what
 * the rollback and failed-conversion-restores-range need (the range's folio structure before,
 * the error) are the thread's locals, packed in its `seq` (unused by a conversion): see pack().
 */
import { produce } from '../draft.ts';
import type { GmemState, Spte, Thread } from '../state.ts';
import type { Ctx, D } from '../kernel/context.ts';
import { lockFree } from '../kernel/locks.ts';
import { dropUserRef, extraRefs } from '../kernel/memory.ts';
import { boundVms, gmemConversionRange, gmemInvalidateBegin, gmemInvalidateEnd, zap } from '../kernel/mmu.ts';
import { bindingsIn } from '../kernel/memslots.ts';
import {
  frozenTargets,
  hugeRanges,
  isHugeFolio,
  restructure,
  restructureMustWait,
  restructureTargets,
} from '../kernel/hugetlb.ts';
import type { OpSpec, StepFn } from './common.ts';
import { finish, goto, range } from './common.ts';

// --- the conversion's locals, in the thread's seq --------------------------------------------
// bits 0..7: the work indices; bits 8..15: index i was in a huge folio when the conversion
// began; bit 16: the conversion failed (-EAGAIN / -ENOMEM). Bounds allow at most 8 pages.
const HUGE_SHIFT = 8;
const ERROR_BIT = 1 << 16;

export interface ConversionLocals {
  work: number[];
  hugeBefore: (i: number) => boolean;
  failed: boolean;
}

/** The conversion thread's work list, recorded folio structure and error (seq < 0: not begun). */
export function conversionLocals(t: Thread): ConversionLocals | null {
  if (t.op !== 'convert' || t.seq < 0 || !(t.pc in HUGETLB_CONVERT_STEPS)) return null;
  const work: number[] = [];
  for (let i = 0; i < HUGE_SHIFT; i++) if (t.seq & (1 << i)) work.push(i);
  return { work, hugeBefore: (i) => (t.seq & (1 << (HUGE_SHIFT + i))) !== 0, failed: (t.seq & ERROR_BIT) !== 0 };
}

function setSeq(d: D, slot: number, seq: number): void {
  (d.threads[slot] as Thread & { seq: number }).seq = seq;
}

/** The conversion will return an error (-EAGAIN / -ENOMEM). */
function fail(d: D, slot: number): void {
  setSeq(d, slot, (d.threads[slot] as Thread).seq | ERROR_BIT);
}

/** The work indices: [lo, hi) minus those already of the target (shared[i] !== !priv). */
function workOf(s: GmemState | D, t: Thread): number[] {
  return range(t.lo, t.hi).filter((i) => s.shared[i] === t.priv);
}

/**
 * kvm_gmem_convert_range(): filemap_invalidate_lock(); kvm_gmem_convert_compute_work() (an empty
 * work list returns 0 at once); kvm_gmem_convert_invalidate_begin() for every work item before
 * anything else: kvm_mmu_invalidate_begin + range_add over the range rounded out to huge pages
 * (kvm_gmem_compute_invalidate_start / _end), no zap (patch 38 moved the zap out of begin).
 */
const convertRange: StepFn = (s, t, a, ctx) => {
  if (!lockFree(s.invalidateLock)) return undefined;
  return produce(s, (d) => {
    d.invalidateLock = a.slot;
    const work = workOf(d, t);
    if (work.length === 0) {
      d.invalidateLock = -1;
      finish(d, a.slot);
      return;
    }
    let seq = 0;
    for (const i of work) seq |= 1 << i;
    const n = ctx.bounds.folioPages;
    for (const j of hugeRanges(t.lo, t.hi, n)) {
      for (let i = j; i < j + n && i < d.filemap.length; i++) if (isHugeFolio(d, j)) seq |= 1 << (HUGE_SHIFT + i);
    }
    setSeq(d, a.slot, seq);
    // Every binding's gfn range of the rounded indices, VM by VM; no zap (kernel/mmu.ts).
    const [lo, hi] = gmemConversionRange(t.lo, t.hi, ctx.bounds.pages, ctx);
    gmemInvalidateBegin(d, s, t.lo, t.hi, () => false, ctx, { want: false, done: false }, lo, hi);
    goto(d, a.slot, 'kvm_gmem_convert_should_proceed');
  });
};

/** The gfn ranges of `vm`'s bindings of indices [lo, hi) (kvm_gmem_unmap_private's walk). */
function gfnRanges(s: GmemState | D, vm: number, lo: number, hi: number): [number, number][] {
  return bindingsIn(s.vms[vm], lo, hi).map((b) => [b.lo, b.hi]);
}

/** A huge private SPTE that gfns [lo, hi) cover only in part (kvm_split_cross_boundary_leafs' leaf). */
function straddlingHugeLeaves(s: GmemState | D, vm: number, lo: number, hi: number, ctx: Ctx): number[] {
  const out: number[] = [];
  const v = s.vms[vm];
  const n = ctx.bounds.folioPages;
  for (let g = 0; g < v.spte.length; g++) {
    const sp = v.spte[g];
    if (!sp || sp.level !== 1 || !sp.private) continue;
    const inside = Math.min(g + n, hi) - Math.max(g, lo);
    if (inside > 0 && inside < n) out.push(g);
  }
  return out;
}

/**
 * kvm_gmem_convert_should_proceed(), for every work item, after the invalidation began.
 * To shared: kvm_gmem_unmap_private() zaps the private SPTEs of the range in every bound VM. On
 * TDX a 2M leaf the range covers only in part is first split (kvm_split_cross_boundary_leafs ->
 * tdp_mmu_split_huge_page -> tdx_sept_split_private_spte: TDH.MEM.PAGE.DEMOTE, Yan Zhao's TDX
 * huge page series), which may fail with -ENOMEM (the PAMT / split cache top-up): the conversion
 * returns it with nothing stored (the action's `fail`). No arch hook runs: the series' to-shared
 * path calls no kvm_arch_gmem_invalidate (kvm_gmem_convert_should_proceed only unmaps), and its
 * split removes the folio with filemap_remove_folio_for_restructuring(), which "skips call to
 * ->free_folio() to maintain folio flags", so kvm_gmem_free_folio -> sev_gmem_invalidate does
 * not run either: on SNP the RMP entries of pages turning shared stay assigned to the guest
 * (a 2M entry stays 2M over the split folio), unlike v7's patch 11, which makes them shared in
 * kvm_gmem_invalidate_begin. To private: unmap_mapping_pages() (userspace PTEs go, with their
 * references), the shared SPTEs of the range go (the mmu_notifier of that unmap: kvm_gmem_bind
 * requires the memslot's userspace_addr to map the same offsets), then
 * kvm_gmem_has_safe_refcount() over the range's folios: -EAGAIN with nothing stored; the
 * invalidation still ends (seq moves).
 *
 * refcountCheckBeforeStore false (hugetlb-refcount-check-per-item, bug): should_proceed runs per
 * work item inside the execute loop, so each item is checked and then stored
 * (kvm_gmem_shareability_apply) before the next is checked; an -EAGAIN on a later item takes
 * `goto invalidate_end`, which skips the rollback (it covers execute_work's failures only), and
 * the items stored before it stay converted. The model stores them in this step; their merges
 * are left to the restructure step, which such a failure skips (the kernel's fused loop would
 * have merged an earlier item's huge page already: the attributes differ the same way).
 */
const shouldProceed: StepFn = (s, t, a, ctx) => {
  const vms = boundVms(s, ctx);
  const splittable =
    !t.priv &&
    ctx.design.arch === 'tdx' &&
    vms.some((vm) =>
      gfnRanges(s, vm, t.lo, t.hi).some(([lo, hi]) => straddlingHugeLeaves(s, vm, lo, hi, ctx).length > 0),
    );
  if (a.fail && !splittable) return undefined;
  return produce(s, (d) => {
    const work = workOf(d, t);
    if (!t.priv) {
      if (a.fail) {
        d.started.tdxRemoveFail += 1;
        fail(d, a.slot);
        goto(d, a.slot, 'kvm_gmem_convert_invalidate_end');
        return;
      }
      for (const vm of vms) {
        for (const [lo, hi] of gfnRanges(d, vm, t.lo, t.hi)) {
          if (ctx.design.arch === 'tdx')
            for (const g of straddlingHugeLeaves(d, vm, lo, hi, ctx)) splitMirror(d, vm, g, ctx);
          zap(d, vm, lo, hi, (sp: Spte) => sp.private, ctx, { want: false, done: false });
        }
      }
    } else {
      for (const i of work) dropUserRef(d, 'umap', i, ctx);
      for (const vm of vms) {
        for (const [lo, hi] of gfnRanges(d, vm, t.lo, t.hi))
          zap(d, vm, lo, hi, (sp: Spte) => !sp.private && sp.pfn >= 0, ctx, { want: false, done: false });
      }
      const unsafe = (i: number) => d.filemap[i] >= 0 && extraRefs(d, d.filemap[i], ctx.bounds.folioPages) > 0;
      // refcountCheckBeforeStore false: each work item is checked just before it is stored
      // (storeItemByItem); the series checks them all before any store.
      const items = ctx.design.refcountCheckBeforeStore ? [work] : workItems(work);
      for (const item of ctx.design.refcountCheck ? items : []) {
        if (item.some(unsafe)) {
          d.seen.eagain = true;
          fail(d, a.slot);
          goto(d, a.slot, 'kvm_gmem_convert_invalidate_end');
          return;
        }
        if (!ctx.design.refcountCheckBeforeStore) for (const i of item) d.shared[i] = !t.priv;
      }
    }
    goto(d, a.slot, 'kvm_gmem_convert_execute_work');
  });
};

/**
 * kvm_gmem_convert_compute_work(): one work item per run of the shareability tree that differs
 * from the target, clipped to the range; kvm_gmem_shareability_store() merges adjacent runs of
 * one value, so the items are the maximal runs of consecutive work indices.
 */
function workItems(work: number[]): number[][] {
  const items: number[][] = [];
  for (const i of work) {
    const last = items[items.length - 1];
    if (last && last[last.length - 1] === i - 1) last.push(i);
    else items.push([i]);
  }
  return items;
}

/**
 * tdp_mmu_split_huge_page() of the huge mirror SPTE at g into 4K ones (bounds.folioPages of
 * them), with tdx_sept_split_private_spte() demoting the S-EPT entry (TDH.MEM.PAGE.DEMOTE). The
 * model has one huge level: a 1G leaf (folioPages 4) is demoted straight to 4K, where the kernel
 * demotes 1G to 2M and the 2M leaf the range still straddles to 4K.
 */
function splitMirror(d: D, vm: number, g: number, ctx: Ctx): void {
  const sp = d.vms[vm].spte[g]!;
  for (let k = 0; k < ctx.bounds.folioPages; k++) {
    d.vms[vm].spte[g + k] = { pfn: sp.pfn + k, private: true, level: 0 };
    if (d.pfns[sp.pfn + k].septHuge) d.pfns[sp.pfn + k].septHuge = false;
  }
}

/**
 * kvm_gmem_convert_execute_work() -> kvm_gmem_shareability_apply(): the work indices take the
 * target in guest_memfd's shareability tree, before the restructure ("Apply shareability first
 * so split/merge can operate on new shareability state").
 */
const executeWork: StepFn = (s, t, a) =>
  produce(s, (d) => {
    for (const i of workOf(s, t)) d.shared[i] = !t.priv;
    goto(d, a.slot, 'kvm_gmem_restructure_folios_in_range');
  });

/**
 * kvm_gmem_restructure_folios_in_range() over the range rounded to huge pages: to shared,
 * kvm_gmem_split_folio_in_filemap() of each huge folio; to private,
 * kvm_gmem_try_merge_folio_in_filemap() of each huge page with no shared index left. Each waits
 * in folio_ref_freeze() until only the filemap holds the folio (restructureMustWait). The
 * allocator's split / merge or __kvm_gmem_filemap_add_folio may fail with -ENOMEM (the action's
 * `fail`, on the last huge page: the earlier ones are done): the conversion rolls back.
 */
const restructureStep: StepFn = (s, t, a, ctx) => {
  const split = !t.priv;
  const targets = frozenTargets(s, restructureTargets(s, t.lo, t.hi, split, ctx), ctx);
  if (a.fail && targets.length === 0) return undefined;
  if (restructureMustWait(s, targets, ctx)) return undefined;
  return produce(s, (d) => {
    if (!a.fail) {
      restructure(d, targets, split, ctx);
      goto(d, a.slot, 'kvm_gmem_convert_invalidate_end');
      return;
    }
    d.started.tdxRemoveFail += 1;
    restructure(d, targets.slice(0, -1), split, ctx);
    fail(d, a.slot);
    goto(d, a.slot, ctx.design.hugetlbRollback ? 'kvm_gmem_convert_rollback' : 'kvm_gmem_convert_invalidate_end');
  });
};

/**
 * kvm_gmem_convert_range()'s rollback: kvm_gmem_convert_execute_work(inode, work, !shared) on
 * the items executed: the work indices take their old shareability back, then the restructure
 * the other way (merge what was split, split what was merged), again after folio_ref_freeze.
 */
const rollback: StepFn = (s, t, a, ctx) => {
  const split = t.priv;
  const old = (d: GmemState | D) => {
    const x = { ...d, shared: d.shared.slice() } as GmemState;
    for (const i of workLocals(t)) (x.shared as boolean[])[i] = t.priv;
    return x;
  };
  const targets = frozenTargets(s, restructureTargets(old(s), t.lo, t.hi, split, ctx), ctx);
  if (restructureMustWait(s, targets, ctx)) return undefined;
  return produce(s, (d) => {
    for (const i of workLocals(t)) d.shared[i] = t.priv;
    restructure(d, targets, split, ctx);
    goto(d, a.slot, 'kvm_gmem_convert_invalidate_end');
  });
};

function workLocals(t: Thread): number[] {
  return conversionLocals(t)?.work ?? [];
}

/** kvm_gmem_convert_invalidate_end() for every work item; filemap_invalidate_unlock(). */
const invalidateEndStep: StepFn = (s, t, a, ctx) =>
  produce(s, (d) => {
    const [lo, hi] = gmemConversionRange(t.lo, t.hi, ctx.bounds.pages, ctx);
    gmemInvalidateEnd(d, s, ctx, lo, hi);
    d.invalidateLock = -1;
    finish(d, a.slot);
  });

export const HUGETLB_CONVERT_STEPS: Readonly<Record<string, StepFn>> = {
  kvm_gmem_convert_range: convertRange,
  kvm_gmem_convert_should_proceed: shouldProceed,
  kvm_gmem_convert_execute_work: executeWork,
  kvm_gmem_restructure_folios_in_range: restructureStep,
  kvm_gmem_convert_rollback: rollback,
  kvm_gmem_convert_invalidate_end: invalidateEndStep,
};

/**
 * The conversion operation with the series' steps: designs with `hugetlb` start at
 * kvm_gmem_convert_range, the others run `base` (ops/convert.ts) unchanged.
 */
export function withHugetlbConversion(base: OpSpec): OpSpec {
  return {
    ...base,
    first: (ctx, args) => (ctx.design.hugetlb ? 'kvm_gmem_convert_range' : base.first(ctx, args)),
    steps: { ...base.steps, ...HUGETLB_CONVERT_STEPS },
    actor: (step, ctx) => (step in HUGETLB_CONVERT_STEPS ? 'guest_memfd' : base.actor(step, ctx)),
    mayFailTdx: (step, ctx) =>
      ctx.design.hugetlb
        ? step === 'kvm_gmem_restructure_folios_in_range' ||
          (ctx.design.arch === 'tdx' && step === 'kvm_gmem_convert_should_proceed')
        : (base.mayFailTdx?.(step, ctx) ?? false),
  };
}
