/**
 * TDX: S-EPT entries and PAMT ownership per pfn (arch/x86/kvm/vmx/tdx.c). Helpers called inside
 * a KVM step's `produce` (TDX work always goes through KVM's mirror SPTE hooks).
 *
 * Page references: since ce7b5695397b ("KVM: TDX: Drop superfluous page pinning in S-EPT
 * management", kvm-x86) KVM holds none for a page the S-EPT maps; guest_memfd keeps the page
 * until its invalidation of KVM's MMU is done. tdxPinsPages models the kernel before that
 * commit: tdx_sept_set_private_spte() took get_page() and tdx_sept_drop_private_spte() put it
 * after a successful removal only.
 */
import type { Ctx, D } from './context.ts';
import { getRef, putRef } from './memory.ts';

/**
 * The S-EPT now maps `pfn` for `vm`, with TD data; before ce7b5695397b, with a page reference.
 * Recorded as KVM's write in the step's effects: the TDX module is reached only through KVM.
 */
function septMap(d: D, pfn: number, vm: number, ctx: Ctx): void {
  if (d.pfns[pfn].sept < 0 || !d.pfns[pfn].tdData) ctx.fx?.archWrites.push({ by: 'KVM', table: 'S-EPT', pfn });
  d.pfns[pfn].sept = vm;
  d.pfns[pfn].tdData = true;
  if (ctx.design.tdxPinsPages) getRef(d, pfn);
}

/** tdx_sept_set_private_spte() -> tdh_mem_page_aug(): the TD maps pfn; it now holds TD data. */
export function tdxAug(d: D, pfn: number, vm: number, ctx: Ctx): void {
  septMap(d, pfn, vm, ctx);
}

/** tdx_gmem_post_populate() -> tdh_mem_page_add(): the TD maps pfn with the copied source. */
export function tdxPageAdd(d: D, pfn: number, vm: number, ctx: Ctx): void {
  septMap(d, pfn, vm, ctx);
}

/**
 * tdx_sept_remove_private_spte() (mmu_lock held for write): BLOCK, TRACK (kick vCPUs),
 * TDH.MEM.PAGE.REMOVE, TDH.PHYMEM.PAGE.WBINVD, clear. Returns false on failure.
 *
 * A SEAMCALL failure is TDX_BUG_ON / KVM_BUG_ON (the VM is bugged) and the function returns
 * early: the page is neither cleared nor WBINVD'd and the S-EPT entry stays. The caller clears
 * the mirror SPTE either way (remove_external_spte is void, kvm-x86 7139c8606505). Since
 * ce7b5695397b KVM holds no reference, so guest_memfd frees the page when it drops its own,
 * while the S-EPT still maps it: the commit accepts that window ("a private page mapped in the
 * S-EPT could be reallocated and used outside the VM, the loud warning from KVM_BUG_ON() should
 * provide sufficient debug information"). tdxPinsPages (before ce7b5695397b): the failure
 * returns -EIO before tdx_unpin(), so the reference stays and the page is leaked for good.
 */
export function tdxRemove(d: D, pfn: number, vm: number, fail: boolean, ctx: Ctx): boolean {
  const page = d.pfns[pfn];
  if (page.sept !== vm) return true; // premapped or already removed: nothing in the S-EPT
  if (fail) {
    d.vms[vm].bugged = true;
    if (ctx.design.tdxPinsPages) page.leaked = true;
    return false;
  }
  page.sept = -1;
  page.tdData = false;
  if (ctx.design.tdxPinsPages) putRef(d, pfn, ctx); // tdx_unpin() after tdx_clear_page()
  return true;
}
