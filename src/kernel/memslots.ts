/**
 * Memslots and their guest_memfd bindings: where each VM's memslots sit in its gfn space, which
 * indices of its file they bind, and the translation every fault, invalidation, view and property
 * goes through (virt/kvm/guest_memfd.c kvm_gmem_bind, __kvm_gmem_invalidate_begin,
 * kvm_gmem_get_pfn; include/linux/kvm_host.h __gfn_to_memslot). gfn = base_gfn + (index - pgoff).
 */
import type { Bounds } from '../bounds.ts';
import type { Memslot } from '../state.ts';
import { hex } from '../state.ts';

type Slots = { readonly slots: readonly Memslot[] };

/**
 * The memslots the bounds lay out for every VM, none created yet: `memslots` consecutive
 * bindings of the indices [slotPgoff, pages) (the last takes the rest), the first at gfn
 * slotBase, each next one slotGap gfns after the previous one's end.
 */
export function slotLayout(b: Bounds): Memslot[] {
  const out: Memslot[] = [];
  const bound = b.pages - b.slotPgoff;
  const each = Math.floor(bound / b.memslots);
  let base = b.slotBase;
  let pgoff = b.slotPgoff;
  for (let k = 0; k < b.memslots; k++) {
    const npages = k === b.memslots - 1 ? b.pages - pgoff : each;
    out.push({ base, npages, pgoff, state: 'none', bound: false });
    base += npages + b.slotGap;
    pgoff += npages;
  }
  return out;
}

/** How many gfns each VM's arrays (SPTEs, KVM's attributes) hold: up to the last memslot's end, moved or not. */
export function gfnCount(b: Bounds): number {
  const last = slotLayout(b).at(-1)!;
  return last.base + last.npages + b.slotMove;
}

/** Is the memslot in the VM's memslots (live, or being deleted)? */
export const inMemslots = (sl: Memslot) => sl.state === 'live' || sl.state === 'invalid';

/** Does `sl` cover gfn `g`? */
export const slotHasGfn = (sl: Memslot, g: number) => g >= sl.base && g < sl.base + sl.npages;

/** The created memslot (live or being deleted) holding gfn `g` (__gfn_to_memslot), or -1. */
export function slotOfGfn(v: Slots, g: number): number {
  for (let k = 0; k < v.slots.length; k++) if (inMemslots(v.slots[k]) && slotHasGfn(v.slots[k], g)) return k;
  return -1;
}

/** The index gfn `g` maps in its memslot (kvm_gmem_get_pfn: `index = gfn - slot->base_gfn + slot->gmem.pgoff`), or -1. */
export function indexOfGfn(v: Slots, g: number): number {
  const k = slotOfGfn(v, g);
  return k < 0 ? -1 : g - v.slots[k].base + v.slots[k].pgoff;
}

/**
 * The index gfn `g` maps in the layout, created or not, or -1: where attributes kept per gfn
 * (KVM's mem_attr_array) meet those kept per index (guest_memfd's), which outlive memslots.
 */
export function layoutIndexOfGfn(v: Slots, g: number): number {
  // A created memslot first: a deleted one may still name the gfns a moved memslot took.
  const slots = v.slots;
  for (let k = 0; k < slots.length; k++) {
    const sl = slots[k];
    if (sl.state !== 'none' && slotHasGfn(sl, g)) return g - sl.base + sl.pgoff;
  }
  for (let k = 0; k < slots.length; k++) {
    const sl = slots[k];
    if (sl.state === 'none' && slotHasGfn(sl, g)) return g - sl.base + sl.pgoff;
  }
  return -1;
}

/** The gfn at which the layout binds index `i`, created or not (a created memslot first), or -1. */
export function layoutGfnOfIndex(v: Slots, i: number): number {
  // Two passes over the few memslots, created ones first: these run for every index of every
  // state the properties check, so they build no array.
  const slots = v.slots;
  for (let k = 0; k < slots.length; k++) {
    const sl = slots[k];
    if (sl.state !== 'none' && i >= sl.pgoff && i < sl.pgoff + sl.npages) return sl.base + i - sl.pgoff;
  }
  for (let k = 0; k < slots.length; k++) {
    const sl = slots[k];
    if (sl.state === 'none' && i >= sl.pgoff && i < sl.pgoff + sl.npages) return sl.base + i - sl.pgoff;
  }
  return -1;
}

/** The gfn at which a created memslot of `v` binds index `i`, or -1 (a file's bindings never overlap). */
export function gfnOfIndex(v: Slots, i: number): number {
  for (const sl of v.slots) {
    if (inMemslots(sl) && i >= sl.pgoff && i < sl.pgoff + sl.npages) return sl.base + i - sl.pgoff;
  }
  return -1;
}

/**
 * The gfn range binding `sl` gives the index range [lo, hi), or null when they do not meet
 * (__kvm_gmem_invalidate_begin: `.start = slot->base_gfn + max(pgoff, start) - pgoff, .end =
 * slot->base_gfn + min(pgoff + slot->npages, end) - pgoff`).
 */
export function bindingGfnRange(sl: Memslot, lo: number, hi: number): [number, number] | null {
  const a = Math.max(sl.pgoff, lo);
  const b = Math.min(sl.pgoff + sl.npages, hi);
  return a < b ? [sl.base + a - sl.pgoff, sl.base + b - sl.pgoff] : null;
}

/**
 * The memslots of `v` whose bindings an invalidation of indices [lo, hi) walks
 * (xa_for_each_range(&f->bindings, index, slot, start, end - 1)), with their gfn ranges.
 */
export function bindingsIn(v: Slots, lo: number, hi: number): { slot: number; lo: number; hi: number }[] {
  const out = [];
  for (let k = 0; k < v.slots.length; k++) {
    const sl = v.slots[k];
    const r = sl.bound ? bindingGfnRange(sl, lo, hi) : null;
    if (r) out.push({ slot: k, lo: r[0], hi: r[1] });
  }
  return out;
}

/**
 * The live memslots of `v` that gfns [lo, hi) meet, with the range clipped to each
 * (kvm_handle_gfn_range: kvm_for_each_memslot_in_gfn_range, `gfn_range.start = max(range->start,
 * slot->base_gfn)`, `.end = min(range->end, slot->base_gfn + slot->npages)`).
 */
export function slotsInGfnRange(v: Slots, lo: number, hi: number): { slot: number; lo: number; hi: number }[] {
  const out = [];
  for (let k = 0; k < v.slots.length; k++) {
    const sl = v.slots[k];
    const a = Math.max(lo, sl.base);
    const b = Math.min(hi, sl.base + sl.npages);
    if (sl.state === 'live' && a < b) out.push({ slot: k, lo: a, hi: b });
  }
  return out;
}

/**
 * Is the chunk [nj, nj + n) (n: bounds.folioPages) wholly inside one memslot of the layout? A huge page never
 * spans two memslots nor a memslot's unaligned head or tail (kvm_alloc_memslot_metadata raises
 * disallow_lpage there, arch/x86/kvm/x86.c), so only such a chunk may map huge or carry a
 * KVM_LPAGE_MIXED_FLAG of its own. Read off the layout, created or not: the flags of a memslot
 * not created are kept as the attributes change, which is what
 * kvm_mmu_init_memslot_memory_attributes computes when it is created.
 */
export function chunkInOneSlot(v: Slots, j: number, n: number): boolean {
  return v.slots.some((sl) => n * j >= sl.base && n * j + n <= sl.base + sl.npages);
}

/** The summaries Vm keeps: some memslot is bound to the file; some memslot exists. */
export function summarise(v: { slots: readonly Memslot[]; binding: boolean; memslot: boolean }): void {
  v.binding = v.slots.some((sl) => sl.bound);
  v.memslot = v.slots.some(inMemslots);
}

/**
 * Can the layout give a gfn another index: a memslot whose base_gfn is not its pgoff, one that
 * may move (slotMove), or one that may be created again at another memslot's offset (ops.bind)?
 * Where it cannot, every number is both, and reports print ranges bare.
 */
export function layoutTranslates(b: Bounds): boolean {
  const slots = slotLayout(b);
  if (b.slotMove > 0 || slots.some((sl) => sl.base !== sl.pgoff)) return true;
  // ops/bind.ts: a deleted memslot comes back at any pgoff the layout uses that fits the file.
  return (
    (b.ops.bind ?? 0) > 0 &&
    slots.some((sl) => slots.some((o) => o.pgoff !== sl.base && o.pgoff + sl.npages <= b.pages))
  );
}

/**
 * A range as reports print it: where the layout translates (`named`) it says what it is,
 * `gfns [0x2, 0x4)` (KVM's: KVM_SET_MEMORY_ATTRIBUTES, SPTEs, the invalidation range) or
 * `indices [0x0, 0x2)` (guest_memfd's: fallocate, its conversion and invalidation); else `[0x0, 0x2)`.
 */
export function rangeText(what: 'gfns' | 'indices', lo: number, hi: number, named: boolean): string {
  return `${named ? `${what} ` : ''}[${hex(lo)}, ${hex(hi)})`;
}

/** One gfn or index as a step's argument: `gfn 0x2` / `index 0x0` where the layout translates, else `0x2`. */
export function pointText(what: 'gfn' | 'index', n: number, named: boolean): string {
  return `${named ? `${what} ` : ''}${hex(n)}`;
}

/** A memslot's gfns and indices as a reviewer reads them. */
export function slotText(sl: Memslot): string {
  return `gfn ${hex(sl.base)}-${hex(sl.base + sl.npages - 1)} -> index ${hex(sl.pgoff)}-${hex(sl.pgoff + sl.npages - 1)}`;
}
