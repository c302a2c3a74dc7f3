/**
 * The 1G HugeTLB series (RFC v2, Ackerley Tng, 2025-05-14, googleprodkernel/linux-cc
 * gmem-1g-page-support-rfc-v2): guest_memfd folios from the guestmem_hugetlb pool, split into
 * order-0 folios when part of a huge page turns shared and merged when all of it is private
 * again; the pool takes a huge page back only whole. Helpers called inside a step's `produce`
 * (designs with `hugetlb`). The model's huge page is bounds.folioPages pages (2 or 4; 4 stands
 * for the series' 1G page): the aligned pfns backing as many aligned indices.
 */
import type { Ctx, D } from './context.ts';
import type { GmemState } from '../state.ts';
import { isPrivate } from './attributes.ts';
import { dropUserRef, extraRefs, folioPages, removeFromFilemap } from './memory.ts';

// `n` below: pages per huge page (nr_pages_in_folio of the allocator), bounds.folioPages.

/** The first index of every huge page [j, j + n) that [lo, hi) touches (round_down / round_up). */
export function hugeRanges(lo: number, hi: number, n: number): number[] {
  const out: number[] = [];
  for (let j = lo - (lo % n); j < hi; j += n) out.push(j);
  return out;
}

/** kvm_gmem_has_some_shared(inode, j, nr_pages): some index of the huge page at j is shared. */
export function hasSomeShared(s: GmemState | D, j: number, n: number): boolean {
  for (let i = j; i < j + n; i++) if (s.shared[i]) return true;
  return false;
}

/** The huge page at index j is in the filemap as one huge folio. */
export function isHugeFolio(s: GmemState | D, j: number): boolean {
  const p = s.filemap[j];
  return p >= 0 && s.pfns[p].huge;
}

/** The huge page at index j is in the filemap as order-0 folios of one pool huge page. */
export function isSplitHugePage(s: GmemState | D, j: number, n: number): boolean {
  const p = s.filemap[j];
  if (p < 0 || s.pfns[p].huge || !s.pfns[p].hpage) return false;
  for (let k = 1; k < n; k++) if (s.filemap[j + k] !== p + k) return false;
  return true;
}

/** A page of a huge page the pool hands out: in the filemap at `index`, not yet cleared. */
function takeFromPool(d: D, p: number, index: number): void {
  Object.assign(d.pfns[p], { index, huge: true, hpage: true, cached: true, refs: 0, zeroed: false, uptodate: false });
  d.filemap[index] = p;
}

/**
 * kvm_gmem_get_folio() with the custom allocator (1G RFC v2 virt/kvm/guest_memfd.c): the folio
 * at index `i`, else guestmem_hugetlb's alloc_folio of a whole huge page from the pool, added at
 * round_down(i, nr_pages), then kvm_gmem_try_split_folio_in_filemap() splits it at once if some
 * index of it is shared. hugetlbSplitAt 'fault' (the lazy alternative): a lookup also splits a
 * huge folio that holds a shared index, without waiting for other references. Returns the pfn
 * backing `i`, or -1 when the pool is empty (-ENOMEM). A huge page half in the filemap (only
 * after a generic partial truncate, truncateZeroesPartialFolio false) cannot take a new folio:
 * __filemap_add_folio fails with -EEXIST and the kernel retries the lookup; the model answers -1.
 */
export function hugetlbGetFolio(d: D, i: number, ctx: Ctx): number {
  const n = ctx.bounds.folioPages;
  const j = i - (i % n);
  if (d.filemap[i] >= 0) {
    if (ctx.design.hugetlbSplitAt === 'fault' && isHugeFolio(d, j) && hasSomeShared(d, j, n)) splitHugeFolio(d, j, ctx);
    return d.filemap[i];
  }
  if (j + n > d.filemap.length) return -1;
  for (let k = j; k < j + n; k++) if (d.filemap[k] >= 0) return -1;
  for (let p = 0; p + n <= d.pfns.length; p += n) {
    if (!poolHas(d, p, n)) continue;
    for (let k = 0; k < n; k++) takeFromPool(d, p + k, j + k);
    if (hasSomeShared(d, j, n)) splitHugeFolio(d, j, ctx);
    return d.filemap[i];
  }
  return -1;
}

/** The pool holds the huge page starting at pfn p: none of its pages is in use or held back. */
function poolHas(d: D, p: number, n: number): boolean {
  for (let k = p; k < p + n; k++) if (d.pfns[k].index >= 0 || d.pfns[k].hpage) return false;
  return true;
}

/**
 * The allocator's split_folio (guestmem_hugetlb_split_folio) inside
 * kvm_gmem_split_folio_in_filemap(): the huge folio at index j becomes order-0 folios, each
 * page keeping its state (uptodate included: guestmem_hugetlb_split_folio copies the head's flags
 * to every split page, `p->flags = folio->flags`, and a huge folio's pages share one uptodate).
 */
export function splitHugeFolio(d: D, j: number, ctx: Ctx): void {
  for (const p of folioPages(d, d.filemap[j], ctx.bounds.folioPages)) d.pfns[p].huge = false;
}

/**
 * The allocator's merge_folio inside kvm_gmem_merge_folio_in_filemap(): the order-0 folios of
 * the huge page at j become one huge folio again. guestmem_hugetlb_merge_folio() runs
 * prep_compound_page() on the first page, so the merged folio has the head page's flags: it is
 * uptodate iff the head page was, whatever the tail pages' (nothing clears or combines them;
 * filemap_remove_folio_for_restructuring() skips ->free_folio "to maintain folio flags").
 *
 * The merge touches no arch table: the series adds no arch hook for it (no change to
 * arch/x86/kvm/svm/sev.c in its diffstat; the cover letter: "I've not looked into preparedness
 * of pages, only zeroing has been considered"). A tail page that sat split and was never
 * prepared (shared, made uptodate by kvm_gmem_fault_shared, which calls no arch hook; or never
 * touched) keeps its unassigned RMP entry: under an uptodate head, kvm_gmem_get_pfn sees the
 * merged folio prepared and calls no kvm_gmem_prepare_folio; under a head that is not,
 * sev_gmem_prepare(head pfn, folio order) returns at once when the head entry is assigned.
 */
export function mergeHugePage(d: D, j: number, n: number): void {
  const head = d.filemap[j];
  const uptodate = d.pfns[head].uptodate;
  for (let k = 0; k < n; k++) {
    d.pfns[head + k].huge = true;
    d.pfns[head + k].uptodate = uptodate;
  }
}

/**
 * The huge pages kvm_gmem_restructure_folios_in_range(start, nr_pages, is_split) acts on, at
 * index j: to shared, every huge folio the rounded range holds (kvm_gmem_split_folio_in_filemap;
 * none where hugetlbSplitAt is 'fault'); to private, every split huge page with no shared index
 * left (kvm_gmem_try_merge_folio_in_filemap).
 */
export function restructureTargets(s: GmemState | D, lo: number, hi: number, split: boolean, ctx: Ctx): number[] {
  if (split && ctx.design.hugetlbSplitAt === 'fault') return [];
  const n = ctx.bounds.folioPages;
  return hugeRanges(lo, hi, n).filter((j) =>
    split ? isHugeFolio(s, j) : isSplitHugePage(s, j, n) && !hasSomeShared(s, j, n),
  );
}

/** References others hold on the pages of the huge page at j (folio_ref_freeze would fail). */
export function hugePageRefs(s: GmemState | D, j: number, size: number): number {
  let n = 0;
  for (let k = j; k < j + size; k++) if (s.filemap[k] >= 0) n += s.pfns[s.filemap[k]].refs;
  return n;
}

/**
 * filemap_remove_folio_for_restructuring(): `while (!folio_ref_freeze(folio, filemap_refcount))`
 * spins until only the filemap holds the folio ("only filemap refcounts are expected"), so a
 * restructure cannot run while another reference exists (the model: the step waits).
 * hugetlbRefFreeze 'skip' and 'none' never wait.
 */
export function restructureMustWait(s: GmemState, targets: number[], ctx: Ctx): boolean {
  return ctx.design.hugetlbRefFreeze === 'wait' && targets.some((j) => hugePageRefs(s, j, ctx.bounds.folioPages) > 0);
}

/** The targets a restructure acts on: hugetlbRefFreeze 'skip' leaves the referenced ones alone. */
export function frozenTargets(s: GmemState | D, targets: number[], ctx: Ctx): number[] {
  return ctx.design.hugetlbRefFreeze === 'skip'
    ? targets.filter((j) => hugePageRefs(s, j, ctx.bounds.folioPages) === 0)
    : targets;
}

/** Split (to shared) or merge (to private) the huge pages at `targets`. */
export function restructure(d: D, targets: number[], split: boolean, ctx: Ctx): void {
  for (const j of targets) {
    if (split) splitHugeFolio(d, j, ctx);
    else mergeHugePage(d, j, ctx.bounds.folioPages);
  }
}

/**
 * Pages whose last reference went (maybeFree: one folio, huge or a split page) left
 * guest_memfd. A huge folio goes to HugeTLB whole (free_huge_folio). A split page goes back
 * only with its whole huge page: kvm_gmem_free_folio -> guestmem_hugetlb_free_folio registered
 * the folio_put callback when it left the filemap (its huge page is in guestmem_hugetlb_stash),
 * and the callback (guestmem_hugetlb_handle_folio_put -> the cleanup work ->
 * guestmem_hugetlb_maybe_merge_folio) counts it in nr_pages_waiting_to_be_merged until every
 * page of the huge page is in, then merges it and frees it to HugeTLB (1G RFC v2
 * mm/guestmem_hugetlb.c; the work item runs at once in the model). Until then the page is held
 * back (`hpage` stays set, `index` -1). hugetlbPutCallback false (bug): no callback, the split
 * page is an order-0 page and its folio_put frees it to the buddy allocator alone.
 */
export function hugetlbFree(d: D, pages: number[], ctx: Ctx): void {
  const n = ctx.bounds.folioPages;
  if (!ctx.design.hugetlbPutCallback && pages.length < n) {
    for (const p of pages) d.pfns[p].hpage = false;
    return;
  }
  const heads = new Set(pages.map((p) => p - (p % n)));
  for (const h of heads) {
    let free = true;
    for (let k = h; k < h + n; k++) if (d.pfns[k].index >= 0) free = false;
    if (free) for (let k = h; k < h + n; k++) d.pfns[k].hpage = false;
  }
}

/** What kvm_gmem_truncate_inode_range returned: 0 or -EAGAIN (a merge before truncation refused). */
export type TruncateResult = 0 | 'EAGAIN';

/**
 * kvm_gmem_truncate_inode_range() (1G RFC v2 virt/kvm/guest_memfd.c): the partial head and tail
 * huge pages of [lo, hi) are zeroed in place (kvm_gmem_zero_range -> folio_zero_segment, no folio
 * lock, the pages stay in the file: a host write, into a private page too); every whole huge page
 * is truncated (kvm_gmem_truncate_inode_aligned_pages): with no shared index, its folios leave the
 * filemap (kvm_gmem_truncate_indices); else kvm_gmem_merge_truncate_indices unmaps userspace,
 * checks kvm_gmem_has_safe_refcount (else -EAGAIN, the punch stops there), merges and truncates.
 * truncateZeroesPartialFolio false (the generic truncate a partial folio gets elsewhere): the
 * huge folio is split and the punched page truncated, so it goes back to the allocator alone.
 */
export function hugetlbTruncateRange(d: D, lo: number, hi: number, ctx: Ctx): TruncateResult {
  const n = ctx.bounds.folioPages;
  for (const j of hugeRanges(lo, hi, n)) {
    const whole = j >= lo && j + n <= hi;
    if (!whole) {
      for (let i = Math.max(j, lo); i < Math.min(j + n, hi); i++) truncatePartialPage(d, i, ctx);
      continue;
    }
    if (hasSomeShared(d, j, n)) {
      for (let i = j; i < j + n; i++) dropUserRef(d, 'umap', i, ctx);
      for (let i = j; i < j + n; i++)
        if (d.filemap[i] >= 0 && extraRefs(d, d.filemap[i], ctx.bounds.folioPages) > 0) return 'EAGAIN';
      if (isSplitHugePage(d, j, n)) mergeHugePage(d, j, n);
    }
    for (let i = j; i < j + n; i++) {
      dropUserRef(d, 'umap', i, ctx);
      removeFromFilemap(d, i, ctx);
    }
  }
  return 0;
}

/**
 * The last file's release evicts the inode: kvm_gmem_evict_inode() ->
 * truncate_inode_pages_final_prepare() (the mapping is exiting) ->
 * kvm_gmem_truncate_inode_aligned_pages(inode, 0, nr_pages), whose mapping_exiting() branch
 * truncates every huge page's folios as they are (kvm_gmem_truncate_indices, no merge: patch 39
 * "defer merging to folio_put() callback" when the file is being closed). Split pages leave one
 * by one and come back whole through hugetlbFree; userspace PTEs go first (the model's
 * unmap_mapping_range of the truncation).
 */
export function hugetlbEvictInode(d: D, ctx: Ctx): void {
  for (let i = 0; i < d.filemap.length; i++) dropUserRef(d, 'umap', i, ctx);
  for (let i = 0; i < d.filemap.length; i++) removeFromFilemap(d, i, ctx);
}

function truncatePartialPage(d: D, i: number, ctx: Ctx): void {
  const pfn = d.filemap[i];
  if (pfn < 0) return;
  if (ctx.design.truncateZeroesPartialFolio) {
    // folio_zero_segment(): the host writes zeroes into the page, private or not.
    if (isPrivate(d as unknown as GmemState, ctx.design, 0, i)) d.seen.hostWrotePrivate = pfn;
    d.pfns[pfn].zeroed = true;
    return;
  }
  const j = i - (i % ctx.bounds.folioPages);
  if (isHugeFolio(d, j)) splitHugeFolio(d, j, ctx);
  dropUserRef(d, 'umap', i, ctx);
  removeFromFilemap(d, i, ctx);
  // free_huge_folio cannot take a page of a huge page back: the page goes to the buddy allocator.
  if (d.pfns[pfn].index < 0) d.pfns[pfn].hpage = false;
}
