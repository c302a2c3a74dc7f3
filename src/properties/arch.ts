/**
 * The arch tables: the SNP RMP and the TDX S-EPT follow the memory's life, and populate writes
 * only private, unassigned pages.
 */
import { hex, pfnName } from '../state.ts';
import { isPrivate } from '../kernel/attributes.ts';
import type { StateProperty, StepProperty } from './record.ts';
import { writersOf } from './writes.ts';
import { first, gfn, liveVms } from './queries.ts';

/** A pfn back in the host allocator has a hypervisor-owned RMP entry. */
export const rmpRemovedOnLastReference: StateProperty = {
  name: 'rmp-removed-on-last-reference',
  kind: 'always',
  why: 'A page the host allocator hands out while its RMP entry is still assigned faults (RMP #PF) on the first host write.',
  where: 'virt/kvm/guest_memfd.c kvm_gmem_free_folio -> arch/x86/kvm/svm/sev.c sev_gmem_invalidate',
  changedBy: writersOf('folios', 'rmp'),
  violation(s, ctx) {
    return ctx.design.arch !== 'snp' ? null : first(s.pfns, (p, k) =>
      p.index < 0 && p.rmpAsid !== 0 ? `${pfnName(k)} is back in the host allocator, yet its RMP entry is assigned to ASID ${p.rmpAsid}` : null);
  },
};

/** A freed pfn has no S-EPT entry and no TD data; a page whose removal failed is never freed nor shared. */
export const tdxPageRemovedAndCleared: StateProperty = {
  name: 'tdx-page-removed-and-cleared-before-free',
  kind: 'always',
  why: 'A freed page still in the S-EPT or holding TD data is a TD page the host reuses, and a page made shared while the S-EPT maps it is one the host writes under the TD. After a failed removal the kernel since ce7b5695397b accepts the first (the VM is bugged, guest_memfd frees the page): the property shows that window.',
  where: 'arch/x86/kvm/vmx/tdx.c tdx_sept_remove_private_spte (BLOCK, TRACK, REMOVE, WBINVD, clear; KVM_BUG_ON on failure)',
  changedBy: writersOf('folios', 'sept', 'attributes'),
  violation(s, ctx) {
    return ctx.design.arch !== 'tdx' ? null : first(s.pfns, (p, k) => {
      if (p.index < 0 && p.sept >= 0) return `${pfnName(k)} is back in the host allocator, yet vm${p.sept}'s S-EPT still maps it`;
      if (p.index < 0 && p.tdData) return `${pfnName(k)} is back in the host allocator holding TD data that was never cleared`;
      if (p.sept >= 0 && p.cached && ctx.design.inPlaceConversion && !isPrivate(s, ctx.design, 0, p.index)) return `index ${hex(p.index)} was made shared, yet vm${p.sept}'s S-EPT still maps ${pfnName(k)}`;
      return null;
    });
  },
};

/** (SNP) Every private SPTE points at a pfn assigned to its VM's ASID. */
export const rmpAssignedWhilePrivateMapped: StateProperty = {
  name: 'rmp-assigned-while-private-mapped',
  kind: 'always',
  why: 'A guest running on a private page whose RMP entry is not its own takes an RMP #NPF on its own memory, or runs on memory the host may write.',
  where: 'arch/x86/kvm/svm/sev.c sev_gmem_prepare (rmp_make_private) before the SPTE; sev_vm_move_enc_context_from moves the ASID',
  changedBy: writersOf('alive', 'asid', 'bugged', 'spte', 'rmp'),
  violation(s, ctx) {
    if (ctx.design.arch !== 'snp') return null;
    for (const vm of liveVms(s)) {
      const v = s.vms[vm];
      if (v.asid === 0 || v.bugged) continue;
      for (let g = 0; g < v.spte.length; g++) {
        const sp = v.spte[g];
        if (!sp || !sp.private || sp.pfn < 0) continue;
        for (let p = sp.pfn; p < sp.pfn + (sp.level === 1 ? 2 : 1); p++) {
          if (s.pfns[p].rmpAsid !== v.asid) {
            const owner = s.pfns[p].rmpAsid === 0 ? 'hypervisor-owned' : `assigned to ASID ${s.pfns[p].rmpAsid}`;
            return `vm${vm} (ASID ${v.asid}) maps ${gfn(g)} private to ${pfnName(p)}, whose RMP entry is ${owner}`;
          }
        }
      }
    }
    return null;
  },
};

/** (TDX) Between operations, mirror SPTEs and S-EPT entries match one to one. */
export const tdxMirrorMatchesSept: StateProperty = {
  name: 'tdx-mirror-matches-sept',
  kind: 'always',
  why: 'KVM\'s mirror SPTEs are its only record of the S-EPT: an entry missing on either side is a page KVM cannot remove or a mapping the TD does not have.',
  where: 'arch/x86/kvm/vmx/tdx.c tdx_sept_set_private_spte / tdx_gmem_post_populate (no premap after the fix)',
  changedBy: 'any',
  violation(s, ctx) {
    if (ctx.design.arch !== 'tdx' || s.threads.some((t) => t !== null)) return null;
    for (const vm of liveVms(s)) {
      const v = s.vms[vm];
      if (v.bugged) continue;
      const mapped = new Set<number>();
      for (let g = 0; g < v.spte.length; g++) {
        const sp = v.spte[g];
        if (!sp || !sp.private || sp.pfn < 0) continue;
        for (let p = sp.pfn; p < sp.pfn + (sp.level === 1 ? 2 : 1); p++) {
          mapped.add(p);
          if (s.pfns[p].sept !== vm) return `vm${vm}'s mirror SPTE maps ${gfn(g)} to ${pfnName(p)}, which its S-EPT does not map`;
        }
      }
      for (let p = 0; p < s.pfns.length; p++) {
        if (s.pfns[p].sept === vm && !s.pfns[p].leaked && !mapped.has(p)) return `vm${vm}'s S-EPT maps ${pfnName(p)} with no mirror SPTE`;
      }
    }
    return null;
  },
};

/** Populate writes only PRIVATE gfns whose RMP entry is unassigned. */
export const populateOnlyPrivateUnassigned: StepProperty = {
  name: 'populate-only-private-unassigned',
  kind: 'step',
  why: 'LAUNCH_UPDATE / PAGE.ADD on a shared or already-assigned page measures or encrypts the wrong memory.',
  where: 'virt/kvm/guest_memfd.c kvm_gmem_populate (kvm_range_has_memory_attributes PRIVATE) + sev_gmem_post_populate (RMP unassigned)',
  changedBy: { populate: ['kvm_gmem_populate', 'post_populate'] },
  violation(_p, _a, fx) {
    const w = fx.populate;
    if (!w) return null;
    if (!w.private) return `populate wrote ${gfn(w.gfn)}, which is shared`;
    if (!w.unassigned) return `populate wrote ${gfn(w.gfn)}, whose RMP entry was already assigned`;
    return null;
  },
};
