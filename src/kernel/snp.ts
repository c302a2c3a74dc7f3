/**
 * SEV-SNP: the RMP entry of each pfn (arch/x86/kvm/svm/sev.c, arch/x86/virt/svm/sev.c). An entry
 * records the ASID it is assigned to, its page size and the GPA it was assigned for
 * (struct rmp_state). Helpers called inside a step's `produce`; each write is recorded in the
 * step's effects with the layer whose code made the call (`by`), which
 * properties/layering.ts judges. The model's "2M" is a block of bounds.folioPages aligned pfns
 * (the model's one huge level: at 4 pages it stands for a 1G entry, which the hardware does not
 * have: src/README.md, departures).
 */
import type { GmemState } from '../state.ts';
import type { ArchCaller, Ctx, D } from './context.ts';

/**
 * Who calls the arch hooks on guest_memfd's invalidation and free paths (kvm_arch_gmem_invalidate:
 * the conversion to shared, kvm_gmem_free_folio): guest_memfd itself (archCalls 'gmem', mainline
 * and the series), or KVM's handler of guest_memfd's notification (archCalls 'kvm', the seed
 * thread: "all communication should go via KVM/IOMMU").
 */
export function gmemArchCaller(ctx: Ctx): ArchCaller {
  return ctx.design.archCalls === 'gmem' ? 'guest_memfd' : 'KVM';
}

/** Record that `by`'s code wrote the RMP entry of `pfn` (ctx.fx: the step's effects). */
function recordRmp(ctx: Ctx, by: ArchCaller, pfn: number): void {
  ctx.fx?.archWrites.push({ by, table: 'RMP', pfn });
}

/** The pfns of the 2M-aligned block holding `pfn` (ALIGN_DOWN(pfn, PTRS_PER_PMD) ...), `n` pages. */
function block(pfn: number, n: number): number[] {
  const head = pfn - (pfn % n);
  return Array.from({ length: n }, (_, k) => head + k);
}

/**
 * rmp_make_private(pfn, gpa, level, asid) -> rmpupdate() (arch/x86/virt/svm/sev.c): a 4K entry,
 * or one 2M entry for the aligned block (`pfn`, `gfn` 2M-aligned). The model keeps an entry per
 * page: each page of a 2M entry holds the gpa it stands for (the aligned gpa plus its offset),
 * which is what PSMASH writes into the 4K entries. The hardware refuses a 2M update over an
 * assigned 4K entry (RMPUPDATE_FAIL_OVERLAP, on which rmpupdate() spins); KVM never asks for one
 * (is_large_rmp_possible), so neither does the model.
 */
function rmpMakePrivate(d: D, pfn: number, gfn: number, asid: number, huge: boolean, ctx: Ctx, by: ArchCaller): void {
  const pages = huge ? block(pfn, ctx.bounds.folioPages) : [pfn];
  pages.forEach((p, k) => {
    recordRmp(ctx, by, p);
    const e = d.pfns[p];
    e.rmpAsid = asid;
    e.rmpHuge = huge;
    e.rmpGpa = gfn + k;
    e.rmpPending = false;
  });
}

/**
 * kvm_gmem_prepare_folio() -> kvm_arch_gmem_prepare() -> sev_gmem_prepare() (virt/kvm/
 * guest_memfd.c, arch/x86/kvm/svm/sev.c): called with the folio's head pfn, the gfn of the
 * folio's first index and the folio's order. An assigned head entry, whatever its ASID and GPA,
 * is left alone ("already assigned": return 0). Else a 2M entry if the folio is 2M and every
 * page of the aligned block is unassigned (is_large_rmp_possible), else a 4K entry for the head
 * pfn only. `pfn` / `gfn`: the page the caller asked for, inside the folio. `by`: whose code
 * calls it (guest_memfd's kvm_gmem_prepare_folio, KVM's fault, the IOMMU layer).
 */
export function snpPrepare(d: D, pfn: number, gfn: number, asid: number, ctx: Ctx, by: ArchCaller): void {
  if (ctx.design.arch !== 'snp' || asid === 0) return;
  const huge = d.pfns[pfn].huge;
  const n = ctx.bounds.folioPages;
  const head = huge ? pfn - (pfn % n) : pfn;
  const headGfn = huge ? gfn - (gfn % n) : gfn;
  if (d.pfns[head].rmpAsid !== 0) return;
  const large = huge && block(head, n).every((p) => d.pfns[p].rmpAsid === 0);
  rmpMakePrivate(d, head, headGfn, asid, large, ctx, by);
}

/**
 * sev_gmem_post_populate() (SNP_LAUNCH_UPDATE, arch/x86/kvm/svm/sev.c): rmp_make_private() of
 * the one page at 4K (immutable until LAUNCH_FINISH, not modelled); kvm_gmem_populate has checked
 * that the entry is unassigned (-EEXIST otherwise). The call is KVM's: snp_launch_update()
 * hands sev_gmem_post_populate to kvm_gmem_populate as its callback.
 */
export function snpLaunchUpdate(d: D, pfn: number, gfn: number, asid: number, ctx: Ctx): void {
  if (ctx.design.arch !== 'snp' || asid === 0) return;
  rmpMakePrivate(d, pfn, gfn, asid, false, ctx, 'KVM');
}

/**
 * sev_gmem_max_mapping_level() (arch/x86/kvm/svm/sev.c): the NPT level a private pfn may be
 * mapped at: 4K (0) for an unassigned entry, else the entry's size (1 for a 2M entry).
 */
export function snpMaxMappingLevel(s: GmemState | D, pfn: number): 0 | 1 {
  const e = s.pfns[pfn];
  return e.rmpAsid !== 0 && e.rmpHuge ? 1 : 0;
}

/**
 * rmp_make_shared() of `pages`; a 2M entry that is not fully covered is split first
 * (PSMASH: the other pages keep their ASID and GPA at 4K). `by`: whose code calls it.
 */
export function snpMakeShared(d: D, pages: number[], ctx: Ctx, by: ArchCaller): void {
  if (ctx.design.arch !== 'snp') return;
  for (const p of pages) {
    const e = d.pfns[p];
    if (e.rmpAsid === 0 && !e.rmpPending) continue;
    recordRmp(ctx, by, p);
    if (e.rmpHuge) {
      for (const buddy of block(p, ctx.bounds.folioPages)) {
        if (buddy === p || !d.pfns[buddy].rmpHuge) continue;
        recordRmp(ctx, by, buddy); // PSMASH
        d.pfns[buddy].rmpHuge = false;
      }
    }
    e.rmpAsid = 0;
    e.rmpHuge = false;
    e.rmpGpa = 0;
    e.rmpPending = false;
  }
}

/**
 * a_ops->free_folio = kvm_gmem_free_folio() -> kvm_arch_gmem_invalidate() -> sev_gmem_invalidate()
 * (virt/kvm/guest_memfd.c, mm/filemap.c filemap_free_folio): runs when the folio leaves the
 * page cache (truncation, inode eviction), before the page cache drops its references, whatever
 * other references remain; skips unassigned entries, PSMASHes a 2M entry not fully covered,
 * rmp_make_shared(), flush. rmpReclaim 'deferred' queues the reclaim to a work item instead;
 * the binding lifetimes do nothing here (KVM reclaims at unbind). The caller is guest_memfd's
 * free_folio, or KVM's handler of a free notification (gmemArchCaller).
 */
export function snpFolioFreed(d: D, pages: number[], ctx: Ctx): void {
  const { design } = ctx;
  if (design.arch !== 'snp' || design.rmpLifetime !== 'folio') return;
  const by = gmemArchCaller(ctx);
  if (design.rmpReclaim === 'deferred') {
    for (const p of pages) {
      if (d.pfns[p].rmpAsid === 0 || d.pfns[p].rmpPending) continue;
      recordRmp(ctx, by, p);
      d.pfns[p].rmpPending = true;
    }
    return;
  }
  snpMakeShared(d, pages, ctx, by);
}

/**
 * rmpLifetime 'binding' (the seed thread's proposal as stated): out of the filemap, a page stays
 * with the file, not the allocator, while its RMP entry is assigned to an ASID that a live
 * binding holds ("unless memory itself is kept around after filemap eviction"). Not kernel code.
 */
export function snpBindingKeeps(s: GmemState | D, pages: number[], ctx: Ctx): boolean {
  if (ctx.design.arch !== 'snp' || ctx.design.rmpLifetime !== 'binding') return false;
  return pages.some((p) => {
    const asid = s.pfns[p].rmpAsid;
    return asid !== 0 && s.vms.some((v) => v.binding && v.asid === asid);
  });
}

/**
 * The binding of `vm` ended (memslot deletion, file release, VM destruction; called once it is
 * gone): KVM reclaims RMP entries, as the proposal ties them to the binding. Returns the pfns it
 * reclaimed. 'binding' (as stated): the entries assigned to this VM's ASID (none once the ASID
 * moved away), unless another live binding holds that ASID; kept pages included.
 * 'binding-memory-freed' (the literal reading): every assigned entry of the file's pages,
 * whatever ASID and other bindings.
 */
export function snpUnbindReclaim(d: D, vm: number, ctx: Ctx): number[] {
  const { design } = ctx;
  if (design.arch !== 'snp' || design.rmpLifetime === 'folio') return [];
  const pages: number[] = [];
  if (design.rmpLifetime === 'binding') {
    const asid = d.vms[vm].asid;
    if (asid === 0 || d.vms.some((v) => v.binding && v.asid === asid)) return [];
    d.pfns.forEach((p, k) => {
      if (p.index >= 0 && p.rmpAsid === asid) pages.push(k);
    });
  } else {
    for (const p of d.filemap) if (p >= 0 && d.pfns[p].rmpAsid !== 0) pages.push(p);
  }
  snpMakeShared(d, pages, ctx, 'KVM'); // the proposal routes all arch work through KVM
  return pages;
}
