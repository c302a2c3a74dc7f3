/**
 * Folios of the guest_memfd inode: allocation on first touch, zeroing once, references, removal
 * from the filemap, truncation, and the free that returns pfns to the host allocator. Helpers
 * called inside a step's `produce`.
 */
import type { Ctx, D } from './context.ts';
import { isPrivate } from './attributes.ts';
import { snpBindingKeeps, snpFolioFreed, snpUnbindReclaim } from './snp.ts';
import type { GmemState } from '../state.ts';
import { hugetlbFree, hugetlbGetFolio, hugetlbTruncateRange } from './hugetlb.ts';

/**
 * The pfns of the folio that `pfn` belongs to: a huge folio is the `n` aligned pfns around it
 * (n: bounds.folioPages).
 */
export function folioPages(s: GmemState | D, pfn: number, n: number): number[] {
  if (pfn < 0) return [];
  if (!s.pfns[pfn].huge) return [pfn];
  const head = pfn - (pfn % n);
  return Array.from({ length: n }, (_, k) => head + k);
}

/** The pfn of the head page of the folio that backs index `i` (-1: none). */
export function folioOf(s: GmemState | D, i: number): number {
  return s.filemap[i];
}

function freshPage(d: D, p: number, index: number, huge: boolean): void {
  const page = d.pfns[p];
  page.index = index;
  page.huge = huge;
  page.cached = true;
  page.refs = 0;
  page.zeroed = false;
  page.uptodate = false;
}

/**
 * kvm_gmem_get_folio() -> __filemap_get_folio(FGP_LOCK | FGP_CREAT): the folio at index `i`,
 * allocated on first touch. With hugepages, a huge folio (bounds.folioPages pages) for the
 * aligned indices around `i` when all are empty and as many aligned pfns are free; else order 0. Returns the pfn backing `i`, or
 * -1 when the host allocator is empty (-ENOMEM).
 */
export function getFolio(d: D, i: number, ctx: Ctx): number {
  if (ctx.design.hugetlb) return hugetlbGetFolio(d, i, ctx); // the 1G series' pool (kernel/hugetlb.ts)
  if (d.filemap[i] >= 0) return d.filemap[i];
  const n = d.pfns.length;
  const h = ctx.bounds.folioPages;
  const j = i - (i % h);
  const empty = (k: number, at: (x: number) => number) => [...Array(h).keys()].every((x) => at(k + x) < 0);
  if (ctx.design.hugepages && j + h <= d.filemap.length && empty(j, (x) => d.filemap[x])) {
    for (let k = 0; k + h <= n; k += h) {
      if (empty(k, (x) => d.pfns[x].index)) {
        for (let x = 0; x < h; x++) {
          freshPage(d, k + x, j + x, true);
          d.filemap[j + x] = k + x;
        }
        return d.filemap[i];
      }
    }
  }
  for (let k = 0; k < n; k++) {
    if (d.pfns[k].index < 0) {
      freshPage(d, k, i, false);
      d.filemap[i] = k;
      return k;
    }
  }
  return -1;
}

/**
 * The zeroing in kvm_gmem_get_pfn() / kvm_gmem_fault_user_mapping(): if the folio is not
 * uptodate, clear it and folio_mark_uptodate(). zeroWholeFolio false (bug): only the page asked
 * for is cleared, yet the whole folio is marked uptodate.
 */
export function zeroFolio(d: D, pfn: number, ctx: Ctx): void {
  const pages = folioPages(d, pfn, ctx.bounds.folioPages);
  if (d.pfns[pages[0]].uptodate) return;
  for (const p of pages) {
    if (ctx.design.zeroWholeFolio || p === pfn) d.pfns[p].zeroed = true;
    d.pfns[p].uptodate = true;
  }
}

/**
 * The folio backing index `i` is locked by a userspace fault between kvm_gmem_fault_user_mapping
 * (returns VM_FAULT_LOCKED: kvm_gmem_get_folio locked it) and finish_fault (mm/memory.c, which
 * unlocks it after installing the PTE): folio_lock() elsewhere waits (kvm_gmem_get_folio ->
 * filemap_lock_folio, truncate_inode_pages_range). The fault holds it in its thread's `pfn`.
 */
export function folioLockedByUserFault(s: GmemState | D, i: number, n: number): boolean {
  const pfn = s.filemap[i];
  if (pfn < 0) return false;
  const pages = folioPages(s, pfn, n);
  return s.threads.some((t) => t !== null && t.op === 'mmapFault' && t.pfn >= 0 && pages.includes(t.pfn));
}

export function getRef(d: D, pfn: number): void {
  d.pfns[pfn].refs += 1;
}

/** folio_put(): drop a reference; the last one frees the folio. */
export function putRef(d: D, pfn: number, ctx: Ctx): void {
  d.pfns[pfn].refs -= 1;
  maybeFree(d, pfn, ctx);
}

/**
 * The reference a userspace PTE (`umap`: zap_pte_range) or a GUP pin (`pin`: unpin_user_page)
 * holds at index `i` goes, with the PTE or pin; the folio may be freed.
 */
export function dropUserRef(d: D, holder: 'umap' | 'pin', i: number, ctx: Ctx): void {
  const p = d[holder][i];
  if (p < 0) return;
  d[holder][i] = -1;
  putRef(d, p, ctx);
}

/** A folio's total references beyond the filemap's (the refcount check of a conversion). */
export function extraRefs(s: GmemState | D, pfn: number, folioSize: number): number {
  let n = 0;
  for (const p of folioPages(s, pfn, folioSize)) n += s.pfns[p].refs;
  return n;
}

/**
 * The folio's last reference went (folio_put): the pfns return to the host allocator. The RMP
 * was reclaimed when the folio left the page cache (removeFromFilemap), not here. rmpLifetime
 * 'binding' (the proposal as stated) keeps a page whose entry a live binding's ASID holds.
 */
export function maybeFree(d: D, pfn: number, ctx: Ctx): void {
  const pages = folioPages(d, pfn, ctx.bounds.folioPages);
  if (pages.some((p) => d.pfns[p].cached || d.pfns[p].refs > 0)) return;
  if (snpBindingKeeps(d, pages, ctx)) return;
  for (const p of pages) {
    const page = d.pfns[p];
    page.index = -1;
    page.huge = false;
    page.zeroed = false;
    page.uptodate = false;
  }
  if (ctx.design.hugetlb) hugetlbFree(d, pages, ctx); // back to the pool only whole
}

/**
 * Remove the folio backing index `i` from the filemap (filemap_remove_folio in
 * truncate_inode_pages_range): mm/filemap.c filemap_free_folio() calls a_ops->free_folio =
 * kvm_gmem_free_folio() -> kvm_arch_gmem_invalidate() (virt/kvm/guest_memfd.c; no VM pointer)
 * right there, before the page cache's references are put, whatever other references remain;
 * then the filemap's reference goes and the folio is freed when no other reference remains
 * (a GUP pin or KVM's get_pfn reference keeps it alive, out of the file).
 */
export function removeFromFilemap(d: D, i: number, ctx: Ctx): void {
  const pfn = d.filemap[i];
  if (pfn < 0) return;
  const pages = folioPages(d, pfn, ctx.bounds.folioPages);
  for (const p of pages) {
    d.filemap[d.pfns[p].index] = -1;
    d.pfns[p].cached = false;
  }
  snpFolioFreed(d, pages, ctx);
  maybeFree(d, pfn, ctx);
}

/**
 * `vm`'s binding ended (memslot deletion, kvm_gmem_release, VM destruction): under the
 * proposal's binding lifetimes KVM reclaims the RMP entries tied to it (snpUnbindReclaim), and
 * the reclaimed pages the filemap no longer holds go to the allocator. Not kernel code: mainline
 * kvm_gmem_unbind / kvm_gmem_release touch no RMP entry and free nothing.
 */
export function unbindMemory(d: D, vm: number, ctx: Ctx): void {
  for (const p of snpUnbindReclaim(d, vm, ctx)) maybeFree(d, p, ctx);
}

/** Split a huge folio of `n` pages into order-0 folios (split_folio): each page keeps its state. */
export function splitFolio(d: D, pfn: number, n: number): void {
  for (const p of folioPages(d, pfn, n)) d.pfns[p].huge = false;
}

/**
 * truncate_inode_pages_range(): unmap_mapping_range() of userspace PTEs, then each folio wholly
 * inside the range leaves the filemap (freed when its last reference goes). A huge folio only
 * partly covered is split (the pages kept stay); truncateZeroesPartialFolio (bug) instead zeroes
 * the punched half in place (truncate_inode_partial_folio -> folio_zero_range): a host write.
 */
export function truncateRange(d: D, lo: number, hi: number, ctx: Ctx): void {
  if (ctx.design.hugetlb) {
    hugetlbTruncateRange(d, lo, hi, ctx); // kvm_gmem_truncate_inode_range (kernel/hugetlb.ts)
    return;
  }
  for (let i = lo; i < hi; i++) dropUserRef(d, 'umap', i, ctx);
  for (let i = lo; i < hi; i++) {
    const pfn = d.filemap[i];
    if (pfn < 0) continue;
    const pages = folioPages(d, pfn, ctx.bounds.folioPages);
    const whole = pages.every((p) => d.pfns[p].index >= lo && d.pfns[p].index < hi);
    if (!whole) {
      if (ctx.design.truncateZeroesPartialFolio) {
        if (isPrivate(d as unknown as GmemState, ctx.design, 0, i)) d.seen.hostWrotePrivate = pfn;
        continue;
      }
      splitFolio(d, pfn, ctx.bounds.folioPages);
    }
    removeFromFilemap(d, i, ctx);
  }
}
