/**
 * lpage_info beyond the 2M level, for the form of kvm_arch_post_set_memory_attributes() before
 * 992b54bd083c ("KVM: x86/mmu: x86: Don't overflow lpage_info when checking attributes", Rick
 * Edgecombe, 2024; arch/x86/kvm/mmu/mmu.c).
 *
 * kvm_alloc_memslot_metadata() gives each memslot one lpage_info array per huge level, one entry
 * per huge page the memslot touches (its unaligned head and tail included, with disallow_lpage
 * raised). kvm_arch_post_set_memory_attributes() walks the levels from 2M up, per memslot the
 * range meets; for a head huge page that straddles the range it calls hugepage_has_attrs(),
 * which at the 1G level reads the 2M entries of every 2M page inside the 1G page
 * (hugepage_test_mixed(slot, gfn, level - 1)) until one is mixed or its first gfn has other
 * attributes. Before the fix the head is processed whenever `gfn >= slot->base_gfn`: for a
 * memslot smaller than the 1G page that starts at its aligned gfn, the 1G page runs past the
 * memslot's end and the loop reads 2M entries past the end of the 2M array (the KASAN
 * vmalloc-out-of-bounds of private_mem_conversions_test). The fix also requires `gfn + nr_pages
 * <= slot->base_gfn + slot->npages`, the tail's condition.
 *
 * The model's 2M huge page is 2 pages (kernel/mmu.ts); its 1G page here is 4 pages, two 2M
 * pages, kept only for this walk: no mapping is ever 1G, and the 1G entry the pre-fix head path
 * sets or clears is that memslot's misaligned tail, whose disallow_lpage count already forbids a
 * 1G mapping, so it is not kept. What the walk reads past the array is unknown memory: the step
 * records the first such read (Effects.lpageOutOfBounds) and the walk stops there.
 */
import type { Ctx, D } from './context.ts';
import type { Memslot } from '../state.ts';

/** Pages per huge page at the model's 2M and 1G levels. */
const PAGES_2M = 2;
const PAGES_1G = 4;

/** Does the memslot's lpage_info array at the level of `pages` pages have an entry for gfn `g` (lpage_info_slot)? */
function inArray(sl: Memslot, g: number, pages: number): boolean {
  const idx = Math.floor(g / pages) - Math.floor(sl.base / pages);
  const entries = Math.floor((sl.base + sl.npages - 1) / pages) - Math.floor(sl.base / pages) + 1;
  return idx >= 0 && idx < entries;
}

/** kvm_get_memory_attributes(): PRIVATE or not, from KVM's xarray (a gfn past the VM's array is 0, shared). */
const attrAt = (d: D, vm: number, g: number) => d.vms[vm].private[g] ?? false;

/**
 * The head paths the fix removed, for memslot `slot` of `vm` and its clipped range [lo, hi), run
 * after the 2M level's chunks wholly inside the memslot (kernel/mmu.ts postSetMemoryAttributes):
 * at 2M, hugepage_has_attrs (kvm_range_has_memory_attributes over the xarray) sets or clears the
 * mixed flag of the memslot's unaligned 2M tail; at 1G, hugepage_has_attrs reads the 2M flags.
 * Nothing where `lpageHeadInSlot` (the fixed kernel skips both).
 */
export function postSetHeadBeforeFix(
  d: D,
  vm: number,
  r: { slot: number; lo: number; hi: number },
  priv: boolean,
  ctx: Ctx,
): void {
  if (ctx.design.lpageHeadInSlot) return;
  const v = d.vms[vm];
  const sl = v.slots[r.slot];
  const { lo, hi } = r;
  const end = sl.base + sl.npages;
  // 2M: the head chunk straddles the range, starts in the memslot and runs past its end.
  const h2 = lo - (lo % PAGES_2M);
  if ((h2 !== lo || h2 + PAGES_2M > hi) && h2 >= sl.base && h2 + PAGES_2M > end) {
    // Departure: a chunk past the VM's last gfn has no flag in the model (read below as clear).
    if (h2 / PAGES_2M < v.mixed.length) v.mixed[h2 / PAGES_2M] = attrAt(d, vm, h2) !== attrAt(d, vm, h2 + 1);
  }
  // 1G: hugepage_has_attrs(kvm, slot, gfn, PG_LEVEL_1G, attrs) over the head 1G page.
  const h1 = lo - (lo % PAGES_1G);
  if (!((h1 !== lo || h1 + PAGES_1G > hi) && h1 >= sl.base && h1 + PAGES_1G > end)) return;
  for (let g = h1; g < h1 + PAGES_1G; g += PAGES_2M) {
    if (!inArray(sl, g, PAGES_2M)) {
      if (ctx.fx && !ctx.fx.lpageOutOfBounds) ctx.fx.lpageOutOfBounds = { vm, slot: r.slot, gfn: g };
      return;
    }
    if ((v.mixed[g / PAGES_2M] ?? false) || attrAt(d, vm, g) !== priv) return;
  }
}

/**
 * A memslot being created has fresh lpage_info (kvm_alloc_memslot_metadata): its unaligned 2M
 * tail, the only partial chunk the pre-fix head path flags, starts with no mixed flag.
 */
export function clearPartialTail(v: D['vms'][number], sl: Memslot): void {
  const end = sl.base + sl.npages;
  const j = Math.floor(end / PAGES_2M);
  if (end % PAGES_2M !== 0 && j * PAGES_2M >= sl.base && j < v.mixed.length) v.mixed[j] = false;
}
