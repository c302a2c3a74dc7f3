/**
 * KVM's MMU bookkeeping shared by every operation that invalidates or maps (virt/kvm/kvm_main.c,
 * arch/x86/kvm/mmu/mmu.c, arch/x86/kvm/mmu/tdp_mmu.c). Helpers called inside a step's `produce`,
 * with mmu_lock held: every mmu_lock critical section is one step of the model, so mmu_lock is
 * never held between two states and needs no field of its own.
 */
import type { Ctx, D } from './context.ts';
import type { GmemState, Memslot, Spte } from '../state.ts';
import { bindingsIn, chunkInOneSlot } from './memslots.ts';
import { tdxAug, tdxRemove } from './tdx.ts';

/**
 * kvm_mmu_invalidate_begin() + kvm_mmu_invalidate_range_add() of exactly [lo, hi)
 * (virt/kvm/kvm_main.c): what every invalidation does (PUNCH_HOLE, release, the conversions).
 * Only a conversion adds the huge chunks straddling its range (addStraddlingChunks,
 * gmemConversionRange).
 */
export function invalidateBegin(d: D, vm: number, lo: number, hi: number, ctx: Ctx): void {
  d.vms[vm].inProgress += 1;
  invalidateRangeAdd(d, vm, lo, hi, ctx);
}

/**
 * kvm_mmu_invalidate_range_add() (virt/kvm/kvm_main.c, 8569992d64b8): the first add since the
 * range was reset sets it, later ones grow it to the union (min start, max end).
 * invalidateRangeUnion false is the guest_memfd series v12's form ("KVM: Use gfn instead of hva
 * for mmu_notifier_retry", fixed by squash before 8569992d64b8): while only one invalidation is
 * in progress every add overwrites the range, so of one invalidation's several adds only the
 * last is remembered; concurrent invalidations take the union.
 */
export function invalidateRangeAdd(d: D, vm: number, lo: number, hi: number, ctx: Ctx): void {
  const v = d.vms[vm];
  if (v.rangeLo < 0 || (!ctx.design.invalidateRangeUnion && v.inProgress === 1)) {
    v.rangeLo = lo;
    v.rangeHi = hi;
  } else {
    v.rangeLo = Math.min(v.rangeLo, lo);
    v.rangeHi = Math.max(v.rangeHi, hi);
  }
}

/** Can `design` map a chunk huge at all: huge guest_memfd folios or THP behind the memslot. */
export function mapsHuge(ctx: Ctx): boolean {
  return ctx.design.hugepages || ctx.design.hostHugepages;
}

/** Is chunk [nj, nj + n) wholly inside one memslot (kernel/memslots.ts chunkInOneSlot)? */
function chunkInSlot(v: { slots: readonly Memslot[] }, j: number, n: number): boolean {
  return chunkInOneSlot(v, j, n);
}

/**
 * kvm_arch_pre_set_memory_attributes() (arch/x86/kvm/mmu/mmu.c, 9129633d568e "KVM: x86/mmu:
 * Prevent installing hugepages when mem attributes are changing"), after the common code added
 * [lo, hi): the head chunk and the tail chunk join the invalidation when they straddle [lo, hi),
 * lie wholly inside the memslot and are not already mixed (a mixed chunk maps 4K anyway). Only
 * KVM_SET_MEMORY_ATTRIBUTES does this; invalidateStraddlingHugepages false is the form before the
 * fix. Departure: designs that cannot map huge skip it (it only delays faults at gfns whose
 * attributes do not change).
 */
export function addStraddlingChunks(d: D, vm: number, lo: number, hi: number, ctx: Ctx): void {
  if (!ctx.design.invalidateStraddlingHugepages || !mapsHuge(ctx)) return;
  const v = d.vms[vm];
  const n = ctx.bounds.folioPages;
  const start = lo - (lo % n);
  const end = hi - 1 - ((hi - 1) % n);
  if ((start !== lo || start + n > hi) && chunkInSlot(v, start / n, n) && !v.mixed[start / n]) {
    invalidateRangeAdd(d, vm, start, start + n, ctx);
  }
  if (end !== start && end + n > hi && chunkInSlot(v, end / n, n) && !v.mixed[end / n]) {
    invalidateRangeAdd(d, vm, end, end + n, ctx);
  }
}

/**
 * The range a conversion of guest_memfd indices [lo, hi) invalidates: in the huge folio series
 * rounded out to whole folios (kvm_gmem_convert_invalidate_begin ->
 * kvm_gmem_compute_invalidate_start / _end, 1G HugeTLB RFC v2), where invalidateStraddlingHugepages;
 * the exact range with order-0 folios (in-place series v7).
 */
export function gmemConversionRange(lo: number, hi: number, pages: number, ctx: Ctx): [number, number] {
  if (!ctx.design.hugepages || !ctx.design.invalidateStraddlingHugepages) return [lo, hi];
  const n = ctx.bounds.folioPages;
  return [lo - (lo % n), Math.min(pages, Math.ceil(hi / n) * n)];
}

/**
 * kvm_arch_post_set_memory_attributes() (arch/x86/kvm/mmu/mmu.c, 90b4fe17981e), under mmu_lock
 * after kvm_mmu_invalidate_end(), for the range [lo, hi) just stored: a straddling head or tail
 * chunk wholly inside the memslot is mixed unless every gfn has the new attributes
 * (hugepage_has_attrs); a chunk the range covers is cleared. With the attributes already stored,
 * both come to "mixed iff the chunk's gfns differ" (chunkMixed). `n`: bounds.folioPages.
 */
export function postSetMemoryAttributes(d: D, vm: number, lo: number, hi: number, n: number): void {
  const v = d.vms[vm];
  for (let j = Math.floor(lo / n); n * j < hi; j++) {
    if (chunkInSlot(v, j, n)) v.mixed[j] = chunkMixed(v.private, j, n);
  }
}

/** Do the attributes of chunk [nj, nj + n) differ (hugepage_has_attrs false)? */
export function chunkMixed(priv: readonly boolean[], j: number, n: number): boolean {
  for (let k = 1; k < n; k++) if (priv[n * j + k] !== priv[n * j]) return true;
  return false;
}

/**
 * The level kvm_mmu_hugepage_adjust() -> kvm_mmu_max_mapping_level() chooses under mmu_lock for a
 * fault at `gfn` (arch/x86/kvm/mmu/mmu.c): 4K unless the chunk lies wholly in the memslot and
 * lpage_info allows it (disallow_lpage: KVM_LPAGE_MIXED_FLAG where levelChecksMixedAttributes),
 * then min(fault->max_level, the host level): guest_memfd's (carried in `maxLevel` from
 * kvm_gmem_get_pfn) or, for shared memory outside guest_memfd, host_pfn_mapping_level (THP
 * behind the memslot: hostHugepages).
 */
export function mappingLevel(
  v: GmemState['vms'][number],
  gfn: number,
  maxLevel: 0 | 1,
  fromGmem: boolean,
  ctx: Ctx,
): 0 | 1 {
  const j = Math.floor(gfn / ctx.bounds.folioPages);
  if (!chunkInSlot(v, j, ctx.bounds.folioPages)) return 0;
  if (ctx.design.levelChecksMixedAttributes && v.mixed[j]) return 0;
  return fromGmem ? maxLevel : ctx.design.hostHugepages ? 1 : 0;
}

/** kvm_mmu_invalidate_end(): mmu_invalidate_seq++, in_progress--; the range resets with the last one. */
export function invalidateEnd(d: D, vm: number): void {
  const v = d.vms[vm];
  v.seq += 1;
  v.inProgress -= 1;
  if (v.inProgress === 0) {
    v.rangeLo = -1;
    v.rangeHi = -1;
  }
}

/** A TDX removal failure the action asks for: `want` on entry, `done` once it happened. */
export interface TdxFailure {
  want: boolean;
  done: boolean;
}

/** The gfns [gfn, end) the SPTE at `gfn` maps: a huge one `n` (bounds.folioPages). */
export function spanOf(gfn: number, sp: Spte, n: number): [number, number] {
  return sp.level === 1 ? [gfn, gfn + n] : [gfn, gfn + 1];
}

/** Does a zap of [lo, hi) with filter `which` take the SPTE at `gfn` (a huge one overlapping goes whole)? */
function zapTakes(gfn: number, sp: Spte, lo: number, hi: number, which: (sp: Spte) => boolean, n: number): boolean {
  const [a, b] = spanOf(gfn, sp, n);
  return b > lo && a < hi && which(sp);
}

/** The pfns whose S-EPT entries a zap of `sp` removes: a TD's private SPTEs only. */
function tdxRemovals(sp: Spte, ctx: Ctx): number[] {
  if (!sp.private || ctx.design.arch !== 'tdx' || sp.pfn < 0) return [];
  return sp.level === 1 ? Array.from({ length: ctx.bounds.folioPages }, (_, k) => sp.pfn + k) : [sp.pfn];
}

/**
 * kvm_unmap_gfn_range() / kvm_tdp_mmu_unmap_gfn_range(): zap every leaf SPTE of `vm` that
 * overlaps [lo, hi) and that `which` selects (a huge SPTE overlapping the range goes whole).
 * Private SPTEs of a TD go through tdx_sept_remove_private_spte().
 */
export function zap(
  d: D,
  vm: number,
  lo: number,
  hi: number,
  which: (sp: Spte) => boolean,
  ctx: Ctx,
  fail: TdxFailure,
): void {
  const v = d.vms[vm];
  for (let g = 0; g < v.spte.length; g++) {
    const sp = v.spte[g];
    if (!sp || !zapTakes(g, sp, lo, hi, which, ctx.bounds.folioPages)) continue;
    for (const p of tdxRemovals(sp, ctx)) {
      const failNow = fail.want && !fail.done;
      if (!tdxRemove(d, p, vm, failNow, ctx)) fail.done = true;
    }
    v.spte[g] = null;
  }
}

/**
 * Can a zap of [lo, hi) in `vm` fail a TDX removal: does it remove an S-EPT entry at all? Read
 * from the plain state before the step drafts: a failure asked of a step that removes nothing
 * is no action. Until the first failure a removal changes no other page's S-EPT entry, so the
 * state before the zap answers for the whole zap.
 */
export function zapCanFailTdx(
  s: GmemState,
  vm: number,
  lo: number,
  hi: number,
  which: (sp: Spte) => boolean,
  ctx: Ctx,
): boolean {
  const v = s.vms[vm];
  for (let g = 0; g < v.spte.length; g++) {
    const sp = v.spte[g];
    if (
      sp &&
      zapTakes(g, sp, lo, hi, which, ctx.bounds.folioPages) &&
      tdxRemovals(sp, ctx).some((p) => s.pfns[p].sept === vm)
    )
      return true;
  }
  return false;
}

/** Zap everything `vm` maps (kvm_arch_flush_shadow_all / _memslot with one memslot). */
export function zapAll(d: D, vm: number, ctx: Ctx): void {
  zap(d, vm, 0, d.vms[vm].spte.length, () => true, ctx, { want: false, done: false });
}

/** The SPTE that maps `gfn` in `vm`, directly or through a huge SPTE at its chunk's first gfn (`n`: bounds.folioPages). */
export function spteAt(v: { spte: readonly (Spte | null)[] }, gfn: number, n: number): Spte | null {
  const own = v.spte[gfn];
  if (own) return own;
  const g = gfn - (gfn % n);
  const head = v.spte[g];
  return head && head.level === 1 && g !== gfn ? head : null;
}

/**
 * Install a leaf SPTE (tdp_mmu_map_handle_target_level / make_spte). A huge SPTE goes to the
 * first gfn of its chunk (bounds.folioPages gfns). A TD's private SPTE is the mirror SPTE plus TDH.MEM.PAGE.AUG
 * (tdx_sept_set_private_spte). `slot` is the installing fault (-1: not a fault).
 */
export function installSpte(d: D, vm: number, gfn: number, sp: Spte, slot: number, ctx: Ctx): void {
  const n = ctx.bounds.folioPages;
  const g = sp.level === 1 ? gfn - (gfn % n) : gfn;
  d.vms[vm].spte[g] = sp;
  if (sp.level === 1) for (let k = 1; k < n; k++) d.vms[vm].spte[g + k] = null;
  if (sp.private && ctx.design.arch === 'tdx' && sp.pfn >= 0) {
    for (let p = sp.pfn; p < sp.pfn + (sp.level === 1 ? n : 1); p++) {
      tdxAug(d, p, vm, ctx);
      // The S-EPT entry's size: 2M for a huge mirror SPTE (TDX huge pages, Yan Zhao's series).
      if (sp.level === 1 || d.pfns[p].septHuge) d.pfns[p].septHuge = sp.level === 1;
    }
  }
  if (ctx.fx && slot >= 0) ctx.fx.installs.push({ slot, vm, gfn: g, level: sp.level });
}

/**
 * kvm_gmem_invalidate_begin() of indices [lo, hi) (virt/kvm/guest_memfd.c
 * __kvm_gmem_invalidate_begin, for each file on the inode = each VM): walk the file's bindings
 * that meet [lo, hi); at the first, take mmu_lock and kvm_mmu_invalidate_begin() (in_progress
 * once per VM); for each, kvm_mmu_unmap_gfn_range() of its gfn range: range_add, then the zap
 * `which` selects. [addLo, addHi) is a wider index range to add (the huge folio series' whole
 * folios) where the zap stays on [lo, hi). A VM with no binding in range is not touched.
 */
export function gmemInvalidateBegin(
  d: D,
  s: GmemState,
  lo: number,
  hi: number,
  which: (sp: Spte) => boolean,
  ctx: Ctx,
  fail: TdxFailure,
  addLo = lo,
  addHi = hi,
): void {
  for (const vm of boundVms(s, ctx)) {
    const adds = bindingsIn(s.vms[vm], addLo, addHi);
    if (adds.length === 0) continue;
    d.vms[vm].inProgress += 1;
    for (const b of adds) {
      invalidateRangeAdd(d, vm, b.lo, b.hi, ctx);
      const z = bindingsIn({ slots: [s.vms[vm].slots[b.slot]] }, lo, hi)[0];
      if (z) zap(d, vm, z.lo, z.hi, which, ctx, fail);
    }
  }
}

/** Can a guest_memfd invalidation of indices [lo, hi) fail a TDX removal in any VM it reaches? */
export function gmemZapCanFailTdx(
  s: GmemState,
  lo: number,
  hi: number,
  which: (sp: Spte) => boolean,
  ctx: Ctx,
): boolean {
  return boundVms(s, ctx).some((vm) =>
    bindingsIn(s.vms[vm], lo, hi).some((b) => zapCanFailTdx(s, vm, b.lo, b.hi, which, ctx)),
  );
}

/**
 * kvm_gmem_invalidate_end() for every VM the invalidation of indices [lo, hi) reached: those
 * with a binding in range (__kvm_gmem_invalidate_end: xa_find). The bindings cannot change in
 * between while bind and unbind take invalidate_lock, which the invalidation holds; a VM unbound
 * meanwhile is not ended (unbindTakesInvalidateLock false, or a dying linked file's unbind,
 * which takes no lock).
 */
export function gmemInvalidateEnd(d: D, s: GmemState, ctx: Ctx, lo = 0, hi = Number.MAX_SAFE_INTEGER): void {
  for (const vm of boundVms(s, ctx)) if (bindingsIn(s.vms[vm], lo, hi).length > 0) invalidateEnd(d, vm);
}

/** The VMs an invalidation of the guest_memfd reaches: every file's bindings (notify.kvm). */
export function boundVms(s: { vms: readonly { binding: boolean; alive: boolean }[] }, ctx: Ctx): number[] {
  if (!ctx.design.notify.kvm) return [];
  const out: number[] = [];
  s.vms.forEach((v, i) => {
    if (v.binding && v.alive) out.push(i);
  });
  return out;
}
