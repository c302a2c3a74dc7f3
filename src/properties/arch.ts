/**
 * The arch tables: the SNP RMP and the TDX S-EPT follow the memory's life, and populate writes
 * only private, unassigned pages.
 */
import type { GmemState } from '../state.ts';
import { hex, pfnName } from '../state.ts';
import { isPrivate } from '../kernel/attributes.ts';
import type { Ctx } from '../kernel/context.ts';
import type { StateProperty, StepProperty } from './record.ts';
import { writersOf } from './writes.ts';
import { first, gfn, gfnAt, liveVms } from './queries.ts';

/** A pfn back in the host allocator has a hypervisor-owned RMP entry. */
export const rmpRemovedOnLastReference: StateProperty = {
  name: 'rmp-removed-on-last-reference',
  kind: 'always',
  why: 'A page the host allocator hands out while its RMP entry is still assigned faults (RMP #PF) on the first host write.',
  where: 'virt/kvm/guest_memfd.c kvm_gmem_free_folio -> arch/x86/kvm/svm/sev.c sev_gmem_invalidate',
  changedBy: writersOf('folios', 'rmp'),
  violation(s, ctx) {
    return ctx.design.arch !== 'snp'
      ? null
      : first(s.pfns, (p, k) =>
          p.index < 0 && p.rmpAsid !== 0
            ? `${pfnName(k)} is back in the host allocator, yet its RMP entry is assigned to ASID ${p.rmpAsid}`
            : null,
        );
  },
};

/** A freed pfn has no S-EPT entry and no TD data; a page whose removal failed is never freed nor shared. */
export const tdxPageRemovedAndCleared: StateProperty = {
  name: 'tdx-page-removed-and-cleared-before-free',
  kind: 'always',
  why: 'A freed page still in the S-EPT or holding TD data is a TD page the host reuses, and a page made shared while the S-EPT maps it is one the host writes under the TD. After a failed removal the kernel since ce7b5695397b accepts the first (the VM is bugged, guest_memfd frees the page): the property shows that window.',
  where:
    'arch/x86/kvm/vmx/tdx.c tdx_sept_remove_private_spte (BLOCK, TRACK, REMOVE, WBINVD, clear; KVM_BUG_ON on failure)',
  changedBy: writersOf('folios', 'sept', 'attributes'),
  violation(s, ctx) {
    return ctx.design.arch !== 'tdx'
      ? null
      : first(s.pfns, (p, k) => {
          if (p.index < 0 && p.sept >= 0)
            return `${pfnName(k)} is back in the host allocator, yet vm${p.sept}'s S-EPT still maps it`;
          if (p.index < 0 && p.tdData)
            return `${pfnName(k)} is back in the host allocator holding TD data that was never cleared`;
          if (p.sept >= 0 && p.cached && ctx.design.inPlaceConversion && !isPrivate(s, ctx.design, 0, p.index))
            return `index ${hex(p.index)} was made shared, yet vm${p.sept}'s S-EPT still maps ${pfnName(k)}`;
          return null;
        });
  },
};

/** (SNP) Every private SPTE points at a pfn assigned to its VM's ASID. */
export const rmpAssignedWhilePrivateMapped: StateProperty = {
  name: 'rmp-assigned-while-private-mapped',
  kind: 'always',
  why: 'A guest running on a private page whose RMP entry is not its own takes an RMP #NPF on its own memory, or runs on memory the host may write.',
  where:
    'arch/x86/kvm/svm/sev.c sev_gmem_prepare (rmp_make_private) before the SPTE; sev_vm_move_enc_context_from moves the ASID',
  changedBy: writersOf('alive', 'asid', 'bugged', 'spte', 'rmp'),
  violation(s, ctx) {
    return snpPrivatePages(s, ctx, (vm, asid, g, p) => {
      if (s.pfns[p].rmpAsid === asid) return null;
      const owner = s.pfns[p].rmpAsid === 0 ? 'hypervisor-owned' : `assigned to ASID ${s.pfns[p].rmpAsid}`;
      return `vm${vm} (ASID ${asid}) maps ${gfn(g)} private to ${pfnName(p)}, whose RMP entry is ${owner}`;
    });
  },
};

/**
 * (SNP) Every page a private SPTE maps has the RMP entry of that mapping: its VM's ASID and the
 * GPA of the gfn that maps it. A wrong ASID is rmp-assigned-while-private-mapped's; this one
 * adds the GPA.
 */
export const rmpEntryMatchesMapping: StateProperty = {
  name: 'rmp-entry-matches-mapping',
  kind: 'always',
  why: "The guest's access checks the RMP entry's GPA against the gfn it used: a page assigned for another gfn (freed and handed out again before its entry was reclaimed) takes an RMP #NPF, or hands one gfn's validated page to another.",
  where:
    'arch/x86/kvm/svm/sev.c sev_gmem_prepare (rmp_make_private(pfn, gfn_to_gpa(gfn), ...); an already assigned entry is left as it is) and sev_gmem_post_populate; arch/x86/virt/svm/sev.c rmpupdate',
  changedBy: writersOf('alive', 'asid', 'bugged', 'spte', 'rmp'),
  violation(s, ctx) {
    return snpPrivatePages(s, ctx, (vm, asid, g, p) => {
      const e = s.pfns[p];
      if (e.rmpAsid !== asid)
        return `vm${vm} (ASID ${asid}) maps ${gfn(g)} private to ${pfnName(p)}, whose RMP entry is ${e.rmpAsid === 0 ? 'hypervisor-owned' : `assigned to ASID ${e.rmpAsid}`}`;
      if (e.rmpGpa !== g)
        return `vm${vm} maps ${gfn(g)} private to ${pfnName(p)}, whose RMP entry was assigned for ${gfn(e.rmpGpa)}`;
      return null;
    });
  },
};

/**
 * Each page a private SPTE of a live, running SNP VM maps, with the gfn it maps: `f(vm, asid,
 * gfn, pfn)`, the first non-null answer (null: none, or not SNP).
 */
function snpPrivatePages(
  s: GmemState,
  ctx: Ctx,
  f: (vm: number, asid: number, g: number, p: number) => string | null,
): string | null {
  if (ctx.design.arch !== 'snp') return null;
  for (const vm of liveVms(s)) {
    const v = s.vms[vm];
    if (v.asid === 0 || v.bugged) continue;
    for (let g = 0; g < v.spte.length; g++) {
      const sp = v.spte[g];
      if (!sp || !sp.private || sp.pfn < 0) continue;
      for (let k = 0; k < (sp.level === 1 ? ctx.bounds.folioPages : 1); k++) {
        const r = f(vm, v.asid, g + k, sp.pfn + k);
        if (r) return r;
      }
    }
  }
  return null;
}

/**
 * A private IOMMU mapping points only at a page the TEE owns: (SNP) an assigned RMP entry,
 * (TDX) a page in the S-EPT. Without an arch there is no TEE and it holds vacuously.
 */
export const privateIommuMapsTeePage: StateProperty = {
  name: 'private-iommu-maps-tee-page',
  kind: 'always',
  why: "A device with a private (TEE-IO) mapping of a page the TEE does not own writes hypervisor memory as the guest's, or reads a page the host may hand to anyone.",
  where:
    "proposed (seed thread: guest_memfd as the IOMMU's memory provider; SEV-TIO / TDX Connect): no mainline path maps guest_memfd private memory into an IOMMU; arch/x86/kvm/svm/sev.c rmp_make_private, arch/x86/kvm/vmx/tdx.c tdh_mem_page_aug make a page the TEE's",
  changedBy: writersOf('iommu', 'rmp', 'sept', 'folios'),
  violation(s, ctx) {
    const { arch } = ctx.design;
    if (arch === 'none') return null;
    for (let dom = 0; dom < s.iommu.length; dom++) {
      const r = first(s.iommu[dom], (m, i) => {
        if (!m || !m.private) return null;
        const e = s.pfns[m.pfn];
        if (arch === 'snp' && e.rmpAsid === 0)
          return `IOMMU domain ${dom} maps index ${hex(i)} private to ${pfnName(m.pfn)}, whose RMP entry is hypervisor-owned`;
        if (arch === 'tdx' && e.sept < 0)
          return `IOMMU domain ${dom} maps index ${hex(i)} private to ${pfnName(m.pfn)}, which no S-EPT maps`;
        return null;
      });
      if (r) return r;
    }
    return null;
  },
};

/** (TDX) Between operations, mirror SPTEs and S-EPT entries match one to one. */
export const tdxMirrorMatchesSept: StateProperty = {
  name: 'tdx-mirror-matches-sept',
  kind: 'always',
  why: "KVM's mirror SPTEs are its only record of the S-EPT: an entry missing on either side is a page KVM cannot remove or a mapping the TD does not have.",
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
        for (let p = sp.pfn; p < sp.pfn + (sp.level === 1 ? ctx.bounds.folioPages : 1); p++) {
          mapped.add(p);
          if (s.pfns[p].sept !== vm)
            return `vm${vm}'s mirror SPTE maps ${gfn(g)} to ${pfnName(p)}, which its S-EPT does not map`;
        }
      }
      for (let p = 0; p < s.pfns.length; p++) {
        if (s.pfns[p].sept === vm && !s.pfns[p].leaked && !mapped.has(p))
          return `vm${vm}'s S-EPT maps ${pfnName(p)} with no mirror SPTE`;
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
  where:
    'virt/kvm/guest_memfd.c kvm_gmem_populate (kvm_range_has_memory_attributes PRIVATE) + sev_gmem_post_populate (RMP unassigned)',
  changedBy: { populate: ['kvm_gmem_populate', 'post_populate'] },
  violation(_p, _a, fx) {
    const w = fx.populate;
    if (!w) return null;
    if (!w.private) return `populate wrote ${gfnAt(w.gfn, w.index)}, which is shared`;
    if (!w.unassigned) return `populate wrote ${gfnAt(w.gfn, w.index)}, whose RMP entry was already assigned`;
    return null;
  },
};
