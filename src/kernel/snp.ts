/**
 * SEV-SNP: the RMP entry of each pfn (arch/x86/kvm/svm/sev.c, arch/x86/virt/svm/sev.c).
 * Helpers called inside a step's `produce`; `byGmem` says whether guest_memfd code made the call
 * (kvm_arch_gmem_prepare / kvm_arch_gmem_invalidate, the hooks the thread wants gone).
 */
import type { Ctx, D } from './context.ts';

function noteArch(ctx: Ctx, byGmem: boolean): void {
  if (ctx.fx && byGmem) ctx.fx.gmemArch = true;
}

/**
 * sev_gmem_prepare(): rmp_make_private() of a folio's pages to the VM's ASID, at the folio's
 * size; a page already assigned is left alone ("already assigned" check via snp_lookup_rmpentry).
 */
export function snpPrepare(d: D, pages: number[], asid: number, ctx: Ctx, byGmem: boolean): void {
  if (ctx.design.arch !== 'snp') return;
  for (const p of pages) {
    if (d.pfns[p].rmpAsid !== 0) continue;
    d.pfns[p].rmpAsid = asid;
    d.pfns[p].rmpHuge = pages.length > 1;
    d.pfns[p].rmpPending = false;
    noteArch(ctx, byGmem);
  }
}

/**
 * rmp_make_shared() of `pages`; a 2M entry that is not fully covered is split first
 * (PSMASH), so its other page stays assigned at 4K.
 */
export function snpMakeShared(d: D, pages: number[], ctx: Ctx, byGmem: boolean): void {
  if (ctx.design.arch !== 'snp') return;
  for (const p of pages) {
    const e = d.pfns[p];
    if (e.rmpAsid === 0 && !e.rmpPending) continue;
    if (e.rmpHuge) {
      // PSMASH: the 2M entry becomes 512 (here 2) 4K entries with the same owner.
      const buddy = p ^ 1;
      if (d.pfns[buddy].rmpHuge) d.pfns[buddy].rmpHuge = false;
    }
    e.rmpAsid = 0;
    e.rmpHuge = false;
    e.rmpPending = false;
    noteArch(ctx, byGmem);
  }
}

/**
 * sev_gmem_invalidate() from kvm_gmem_free_folio(): skip unassigned entries, PSMASH a 2M entry
 * not fully covered, rmp_make_shared(), flush. With rmpReclaim 'deferred' the pfn goes back to the
 * allocator first and a work item reclaims it later; with rmpLifetime 'binding' nothing happens
 * here (the RMP was to be reclaimed at memslot unbind).
 */
export function snpFolioFreed(d: D, pages: number[], ctx: Ctx): void {
  const { design } = ctx;
  if (design.arch !== 'snp' || design.rmpLifetime !== 'folio') return;
  const byGmem = design.archCalls === 'gmem';
  if (design.rmpReclaim === 'deferred') {
    for (const p of pages) if (d.pfns[p].rmpAsid !== 0) d.pfns[p].rmpPending = true;
    return;
  }
  snpMakeShared(d, pages, ctx, byGmem);
}

/** rmpLifetime 'binding' (the proposal): the binding's end reclaims every assigned entry of its range. */
export function snpUnbindReclaim(d: D, lo: number, hi: number, ctx: Ctx): void {
  const { design } = ctx;
  if (design.arch !== 'snp' || design.rmpLifetime !== 'binding') return;
  const pages: number[] = [];
  for (let i = lo; i < hi; i++) {
    const p = d.filemap[i];
    if (p >= 0 && d.pfns[p].rmpAsid !== 0) pages.push(p);
  }
  // KVM does it (the proposal routes all arch work through KVM).
  snpMakeShared(d, pages, ctx, false);
}
