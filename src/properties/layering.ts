/**
 * Layering, as the guest_memfd thread asks: guest_memfd neither maps nor prepares memory on its
 * own, nor talks to the arch layer itself. Both are design rules: they judge which code makes a
 * call, read off what a step did (the state before and after and who ran it, the operation's
 * `actor`; for arch calls, the layer each arch write records as its caller), so a design whose
 * call path is never reached keeps them; no interleaving changes who calls whom.
 */
import type { GmemState } from '../state.ts';
import { hex, pfnName } from '../state.ts';
import type { Action, Actor } from '../ops/common.ts';
import { OPS } from '../ops/index.ts';
import type { Ctx } from '../kernel/context.ts';
import type { StepProperty } from './record.ts';
import { writersOf } from './writes.ts';
import { first, gfn } from './queries.ts';

const actorOf = (a: Action, ctx: Ctx): Actor => OPS[a.op]?.actor(a.step, ctx) ?? 'KVM';

/**
 * The operations a user's access drives, whose guest_memfd steps serve that access: KVM's fault
 * (kvm_gmem_get_pfn), KVM's populate (kvm_gmem_populate) and userspace's own mmap fault.
 */
const ON_BEHALF = new Set(['fault', 'populate', 'mmapFault']);

/** A KVM or IOMMU mapping the step created (a new entry, or one to another pfn), or null. */
function mappingCreated(prev: GmemState, next: GmemState): string | null {
  for (let vm = 0; vm < next.vms.length; vm++) {
    const r = first(next.vms[vm].spte, (sp, g) => {
      const was = prev.vms[vm].spte[g];
      return sp && (!was || was.pfn !== sp.pfn) ? `vm${vm}'s SPTE for ${gfn(g)}` : null;
    });
    if (r) return r;
  }
  for (let dom = 0; dom < next.iommu.length; dom++) {
    const r = first(next.iommu[dom], (m, i) => {
      const was = prev.iommu[dom][i];
      return m && (!was || was.pfn !== m.pfn) ? `IOMMU domain ${dom}'s mapping of index ${hex(i)}` : null;
    });
    if (r) return r;
  }
  return null;
}

/** A page the step made ready for its users (cleared and marked uptodate, RMP-assigned, added to an S-EPT), or null. */
function pagePrepared(prev: GmemState, next: GmemState): string | null {
  return first(next.pfns, (p, k) => {
    const was = prev.pfns[k];
    if (p.uptodate && !was.uptodate) return `cleared ${pfnName(k)} (folio_mark_uptodate)`;
    if (p.rmpAsid !== 0 && was.rmpAsid === 0) return `assigned the RMP entry of ${pfnName(k)}`;
    if (p.sept >= 0 && was.sept < 0) return `added ${pfnName(k)} to an S-EPT`;
    return null;
  });
}

/** guest_memfd maps and prepares nothing outside a user's access (KVM's fault or populate, userspace's fault). */
export const noPrefaultByGmem: StepProperty = {
  name: 'no-prefault-by-gmem',
  kind: 'step',
  designRule: true,
  why: 'Design rule (which code maps): the thread says "guest_memfd can not initiate pre-faulting on behalf of its users"; only KVM (fault, populate, KVM_PRE_FAULT_MEMORY) maps or prepares.',
  where:
    'virt/kvm/guest_memfd.c kvm_gmem_allocate allocates only (kvm_gmem_get_folio, no clear, no prepare, no mapping)',
  changedBy: writersOf('spte', 'iommu', 'zeroed', 'rmp', 'sept'),
  violation(prev, a, _fx, ctx, next) {
    if (actorOf(a, ctx) !== 'guest_memfd' || ON_BEHALF.has(a.op)) return null;
    const made = mappingCreated(prev, next);
    if (made) return `guest_memfd's ${a.step} created ${made} on its own (pre-fault)`;
    const prepared = pagePrepared(prev, next);
    return prepared ? `guest_memfd's ${a.step} ${prepared} outside a KVM fault or populate` : null;
  },
};

/**
 * guest_memfd writes no arch table itself: KVM does. Every RMP change and S-EPT addition a step
 * makes is recorded in its effects with the layer whose code made the call (kernel/snp.ts,
 * tdx.ts): guest_memfd's own kvm_gmem_prepare_folio and kvm_gmem_free_folio, or KVM (its fault
 * and MMU, its handler of guest_memfd's invalidation or free notification, the post_populate
 * callback it hands kvm_gmem_populate), the IOMMU layer, the arch's work item; not the step's
 * actor, since one step runs code of several layers (a guest_memfd conversion runs KVM's
 * invalidation handler). A removal from the S-EPT is KVM's zap (kvm_mmu_unmap_gfn_range ->
 * tdx_sept_remove_private_spte): allowed, not recorded.
 */
export const noArchCallsFromGmem: StepProperty = {
  name: 'no-arch-calls-from-gmem',
  kind: 'step',
  designRule: true,
  why: 'Design rule (which code calls the arch, as each RMP / S-EPT write records it): the thread says "guest_memfd should not be directly communicating with the underlying architecture layers; all communication should go via KVM/IOMMU".',
  where:
    'virt/kvm/guest_memfd.c kvm_gmem_get_pfn -> kvm_gmem_prepare_folio -> kvm_arch_gmem_prepare, kvm_gmem_free_folio -> kvm_arch_gmem_invalidate (SNP: sev_gmem_prepare / sev_gmem_invalidate)',
  changedBy: writersOf('rmp', 'sept'),
  violation(_prev, a, fx) {
    let pfn = -1;
    let table = '';
    for (const w of fx.archWrites) {
      if (w.by === 'guest_memfd' && (pfn < 0 || w.pfn < pfn)) ({ pfn, table } = w);
    }
    return pfn < 0 ? null : `guest_memfd's ${a.step} wrote the ${table} entry of ${pfnName(pfn)} itself`;
  },
};
