/**
 * KVM's MMU bookkeeping shared by every operation that invalidates or maps (virt/kvm/kvm_main.c,
 * arch/x86/kvm/mmu/mmu.c, arch/x86/kvm/mmu/tdp_mmu.c). Helpers called inside a step's `produce`,
 * with mmu_lock held: every mmu_lock critical section is one step of the model, so mmu_lock is
 * never held between two states and needs no field of its own.
 */
import type { Ctx, D } from './context.ts';
import type { GmemState, Spte } from '../state.ts';
import { tdxAug, tdxRemove } from './tdx.ts';

/**
 * kvm_mmu_invalidate_begin() + kvm_mmu_invalidate_range_add(): in_progress++, and the range
 * grows to cover [lo, hi). invalidateStraddlingHugepages rounds it out to the 2-page chunks it
 * straddles (a fault checks only its own gfn, not the huge range it maps); invalidateRangeUnion
 * false (pre-fix) overwrites the range another invalidation in progress had set.
 */
export function invalidateBegin(d: D, vm: number, lo: number, hi: number, ctx: Ctx): void {
  const v = d.vms[vm];
  v.inProgress += 1;
  let a = lo;
  let b = hi;
  if (ctx.design.hugepages && ctx.design.invalidateStraddlingHugepages) {
    a = lo & ~1;
    b = Math.min(v.spte.length, (hi + 1) & ~1);
  }
  if (v.rangeLo < 0 || !ctx.design.invalidateRangeUnion) {
    v.rangeLo = a;
    v.rangeHi = b;
  } else {
    v.rangeLo = Math.min(v.rangeLo, a);
    v.rangeHi = Math.max(v.rangeHi, b);
  }
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

export function spanOf(gfn: number, sp: Spte): [number, number] {
  return sp.level === 1 ? [gfn, gfn + 2] : [gfn, gfn + 1];
}

/** Does a zap of [lo, hi) with filter `which` take the SPTE at `gfn` (a huge one overlapping goes whole)? */
function zapTakes(gfn: number, sp: Spte, lo: number, hi: number, which: (sp: Spte) => boolean): boolean {
  const [a, b] = spanOf(gfn, sp);
  return b > lo && a < hi && which(sp);
}

/** The pfns whose S-EPT entries a zap of `sp` removes: a TD's private SPTEs only. */
function tdxRemovals(sp: Spte, ctx: Ctx): number[] {
  if (!sp.private || ctx.design.arch !== 'tdx' || sp.pfn < 0) return [];
  return sp.level === 1 ? [sp.pfn, sp.pfn + 1] : [sp.pfn];
}

/**
 * kvm_unmap_gfn_range() / kvm_tdp_mmu_unmap_gfn_range(): zap every leaf SPTE of `vm` that
 * overlaps [lo, hi) and that `which` selects (a huge SPTE overlapping the range goes whole).
 * Private SPTEs of a TD go through tdx_sept_remove_private_spte().
 */
export function zap(
  d: D, vm: number, lo: number, hi: number, which: (sp: Spte) => boolean, ctx: Ctx, fail: TdxFailure,
): void {
  const v = d.vms[vm];
  for (let g = 0; g < v.spte.length; g++) {
    const sp = v.spte[g];
    if (!sp || !zapTakes(g, sp, lo, hi, which)) continue;
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
export function zapCanFailTdx(s: GmemState, vm: number, lo: number, hi: number, which: (sp: Spte) => boolean, ctx: Ctx): boolean {
  const v = s.vms[vm];
  for (let g = 0; g < v.spte.length; g++) {
    const sp = v.spte[g];
    if (sp && zapTakes(g, sp, lo, hi, which) && tdxRemovals(sp, ctx).some((p) => s.pfns[p].sept === vm)) return true;
  }
  return false;
}

/** Zap everything `vm` maps (kvm_arch_flush_shadow_all / _memslot with one memslot). */
export function zapAll(d: D, vm: number, ctx: Ctx): void {
  zap(d, vm, 0, d.vms[vm].spte.length, () => true, ctx, { want: false, done: false });
}

/** The SPTE that maps `gfn` in `vm`, directly or through a huge SPTE at its even gfn. */
export function spteAt(v: { spte: readonly (Spte | null)[] }, gfn: number): Spte | null {
  const own = v.spte[gfn];
  if (own) return own;
  const head = v.spte[gfn & ~1];
  return head && head.level === 1 && (gfn & ~1) !== gfn ? head : null;
}

/**
 * Install a leaf SPTE (tdp_mmu_map_handle_target_level / make_spte). A huge SPTE goes to the
 * even gfn of its chunk. A TD's private SPTE is the mirror SPTE plus TDH.MEM.PAGE.AUG
 * (tdx_sept_set_private_spte). `slot` is the installing fault (-1: not a fault).
 */
export function installSpte(d: D, vm: number, gfn: number, sp: Spte, slot: number, ctx: Ctx): void {
  const g = sp.level === 1 ? gfn & ~1 : gfn;
  d.vms[vm].spte[g] = sp;
  if (sp.level === 1) d.vms[vm].spte[g + 1] = null;
  if (sp.private && ctx.design.arch === 'tdx' && sp.pfn >= 0) {
    for (let p = sp.pfn; p < sp.pfn + (sp.level === 1 ? 2 : 1); p++) tdxAug(d, p, vm, ctx);
  }
  if (ctx.fx && slot >= 0) ctx.fx.installs.push({ slot, vm, gfn: g, level: sp.level });
}

/** kvm_gmem_invalidate_end() for every VM the invalidation reached (`s`: the state it began in). */
export function gmemInvalidateEnd(d: D, s: GmemState, ctx: Ctx): void {
  for (const vm of boundVms(s, ctx)) invalidateEnd(d, vm);
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
