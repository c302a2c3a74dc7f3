/**
 * TDX: S-EPT entries and PAMT ownership per pfn (arch/x86/kvm/vmx/tdx.c). Helpers called inside
 * a KVM step's `produce` (TDX work always goes through KVM's mirror SPTE hooks).
 */
import type { D } from './context.ts';

/** tdx_sept_set_private_spte() -> tdh_mem_page_aug(): the TD maps pfn; it now holds TD data. */
export function tdxAug(d: D, pfn: number, vm: number): void {
  d.pfns[pfn].sept = vm;
  d.pfns[pfn].tdData = true;
}

/** tdx_gmem_post_populate() -> tdh_mem_page_add(): the TD maps pfn with the copied source. */
export function tdxPageAdd(d: D, pfn: number, vm: number): void {
  d.pfns[pfn].sept = vm;
  d.pfns[pfn].tdData = true;
}

/**
 * tdx_sept_remove_private_spte() (mmu_lock held): BLOCK, TRACK (kick vCPUs),
 * TDH.MEM.PAGE.REMOVE, TDH.PHYMEM.PAGE.WBINVD, tdx_quirk_reset_page() (clear), PAMT put.
 * Any failure is a KVM_BUG_ON(): the VM is dead and the page is leaked uncleaned (KVM keeps a
 * reference so that it is never freed or reused). Returns false on failure.
 */
export function tdxRemove(d: D, pfn: number, vm: number, fail: boolean): boolean {
  const page = d.pfns[pfn];
  if (page.sept !== vm) return true; // premapped or already removed: nothing in the S-EPT
  if (fail) {
    page.leaked = true;
    page.refs += 1;
    d.vms[vm].bugged = true;
    return false;
  }
  page.sept = -1;
  page.tdData = false;
  return true;
}
