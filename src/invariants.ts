/**
 * The properties of domain-model.md, named exactly as there: each a check that returns the
 * sentence saying why it is violated (null: it holds), so that `holds` and `explain` never
 * disagree. `propertyInfo` gives each a one-line kernel rationale and the kernel code behind it.
 */
import type { Property, PropertyDoc } from '../checker/index.ts';
import { always, eventually, sometimes, step } from '../checker/index.ts';
import type { GmemState, Thread } from './state.ts';
import { hex, pfnName } from './state.ts';
import { anyThread } from './state.ts';
import type { Action } from './ops/common.ts';
import type { Ctx, Effects } from './kernel/context.ts';
import { isPrivate } from './kernel/attributes.ts';
import { propertyInfo } from './property-info.ts';
import { spteAt, spanOf } from './kernel/mmu.ts';

type Check = (s: GmemState, ctx: Ctx) => string | null;
type StepCheck = (prev: GmemState, a: Action, fx: Effects, ctx: Ctx) => string | null;

const gfn = (g: number) => `gfn ${hex(g)}`;
const kind = (priv: boolean) => (priv ? 'private' : 'shared');
const first = <T>(xs: readonly T[], f: (x: T, i: number) => string | null): string | null => {
  for (let i = 0; i < xs.length; i++) {
    const r = f(xs[i], i);
    if (r) return r;
  }
  return null;
};
/** One entry per index: `first(pages(s), (_, i) => ...)` visits every index (no array built per state). */
const pages = (s: GmemState): readonly unknown[] => s.filemap;
const liveVms = (s: GmemState): number[] => {
  const out: number[] = [];
  for (let vm = 0; vm < s.vms.length; vm++) if (s.vms[vm].alive) out.push(vm);
  return out;
};

/** Does `pfn` still back index `i` in the filemap? */
const backs = (s: GmemState, pfn: number, i: number) => s.pfns[pfn].index === i && s.pfns[pfn].cached;

/** A conversion of index i is between its start and its end. */
function converting(s: GmemState, i: number): boolean {
  return anyThread(s, (t) => t.op === 'convert' && t.lo <= i && i < t.hi);
}

/** 1. A private index has no shared access: userspace, GUP pins, shared SPTEs, shared IOMMU, host writes. */
const noSharedAccessToPrivate: Check = (s, ctx) => {
  const { design } = ctx;
  if (s.seen.hostWrotePrivate >= 0) {
    return `the host wrote zeroes into ${pfnName(s.seen.hostWrotePrivate)} of a private index (truncate of a partial folio)`;
  }
  return first(pages(s), (_, i) => {
    const priv0 = isPrivate(s, design, 0, i);
    if (priv0 && s.umap[i] >= 0) return `index ${hex(i)} is private, yet userspace maps it (${pfnName(s.umap[i])})`;
    if (priv0 && s.pin[i] >= 0 && backs(s, s.pin[i], i) && !converting(s, i)) return `index ${hex(i)} is private, yet a GUP pin holds ${pfnName(s.pin[i])}`;
    for (const vm of liveVms(s)) {
      const sp = spteAt(s.vms[vm], i);
      if (sp && !sp.private && isPrivate(s, design, vm, i)) return `${gfn(i)} is private, yet vm${vm} maps it shared to ${pfnName(sp.pfn)}`;
    }
    for (let dom = 0; dom < s.iommu.length; dom++) {
      const m = s.iommu[dom][i];
      if (m && !m.private && priv0) return `index ${hex(i)} is private, yet IOMMU domain ${dom} maps it shared to ${pfnName(m.pfn)}`;
    }
    return null;
  });
};

/** 2. A shared index has no private SPTE nor private IOMMU mapping; (SNP, in place) its RMP entry is the hypervisor's. */
const noPrivateAccessAfterSharedConversion: Check = (s, ctx) => {
  const { design } = ctx;
  return first(pages(s), (_, i) => {
    for (const vm of liveVms(s)) {
      const sp = spteAt(s.vms[vm], i);
      if (sp && sp.private && !isPrivate(s, design, vm, i)) return `${gfn(i)} is shared, yet vm${vm} maps it private to ${pfnName(sp.pfn)}`;
    }
    const shared0 = !isPrivate(s, design, 0, i);
    for (let dom = 0; dom < s.iommu.length; dom++) {
      const m = s.iommu[dom][i];
      if (m && m.private && shared0) return `index ${hex(i)} is shared, yet IOMMU domain ${dom} maps it private to ${pfnName(m.pfn)}`;
    }
    const p = s.filemap[i];
    if (design.arch === 'snp' && design.inPlaceConversion && shared0 && p >= 0 && s.pfns[p].rmpAsid !== 0 && !converting(s, i)) {
      return `index ${hex(i)} is shared, yet the RMP entry of ${pfnName(p)} is still assigned to ASID ${s.pfns[p].rmpAsid}`;
    }
    return null;
  });
};

function whose(s: GmemState, pfn: number): string {
  const p = s.pfns[pfn];
  return p.index < 0 ? 'is back in the host allocator' : !p.cached ? `was truncated from index ${hex(p.index)}` : `now backs index ${hex(p.index)}`;
}

/** 3. Every mapping points at a pfn its index still owns; no binding points at a deleted memslot. */
const noMappingOfFreedMemory: Check = (s) => {
  for (const vm of liveVms(s)) {
    const v = s.vms[vm];
    for (let g = 0; g < v.spte.length; g++) {
      const sp = v.spte[g];
      if (!sp || sp.pfn < 0) continue;
      const [a, b] = spanOf(g, sp);
      for (let k = a; k < b; k++) {
        const p = sp.pfn + (k - a);
        if (!backs(s, p, k)) return `vm${vm} maps ${gfn(k)} to ${pfnName(p)}, which ${whose(s, p)}`;
      }
    }
    if (v.binding && !v.memslot) return `vm${vm}'s guest_memfd file still binds its deleted memslot`;
  }
  return first(pages(s), (_, i) => {
    if (s.umap[i] >= 0 && !backs(s, s.umap[i], i)) return `userspace maps index ${hex(i)} to ${pfnName(s.umap[i])}, which ${whose(s, s.umap[i])}`;
    for (let dom = 0; dom < s.iommu.length; dom++) {
      const m = s.iommu[dom][i];
      if (m && !backs(s, m.pfn, i)) return `IOMMU domain ${dom} maps index ${hex(i)} to ${pfnName(m.pfn)}, which ${whose(s, m.pfn)}`;
    }
    return null;
  });
};

/** 4. A pfn back in the host allocator has a hypervisor-owned RMP entry. */
const rmpRemovedOnLastReference: Check = (s, ctx) =>
  ctx.design.arch !== 'snp' ? null : first(s.pfns, (p, k) =>
    p.index < 0 && p.rmpAsid !== 0 ? `${pfnName(k)} is back in the host allocator, yet its RMP entry is assigned to ASID ${p.rmpAsid}` : null);

/** 5. A freed pfn has no S-EPT entry and no TD data; a page whose removal failed is never freed nor shared. */
const tdxPageRemovedAndCleared: Check = (s, ctx) =>
  ctx.design.arch !== 'tdx' ? null : first(s.pfns, (p, k) => {
    if (p.index < 0 && p.sept >= 0) return `${pfnName(k)} is back in the host allocator, yet vm${p.sept}'s S-EPT still maps it`;
    if (p.index < 0 && p.tdData) return `${pfnName(k)} is back in the host allocator holding TD data that was never cleared`;
    if (p.leaked && p.cached && ctx.design.inPlaceConversion && !isPrivate(s, ctx.design, 0, p.index)) return `${pfnName(k)}'s TDX removal failed, yet index ${hex(p.index)} was made shared`;
    return null;
  });

/** 6. A huge mapping lies inside one folio, its gfns share one attribute, and (SNP) a 2M RMP entry backs it. */
const mappingLevelFits: Check = (s, ctx) => {
  for (const vm of liveVms(s)) {
    const v = s.vms[vm];
    for (let g = 0; g < v.spte.length; g++) {
      const sp = v.spte[g];
      if (!sp || sp.level === 0) continue;
      if (g + 1 >= v.spte.length) return `vm${vm} maps ${gfn(g)} huge past the end of its memslot`;
      if (sp.pfn >= 0 && !(s.pfns[sp.pfn].huge && s.pfns[sp.pfn].index === g && s.pfns[sp.pfn + 1].index === g + 1)) {
        return `vm${vm} maps [${hex(g)}, ${hex(g + 2)}) huge, but it is not one folio`;
      }
      if (isPrivate(s, ctx.design, vm, g) !== isPrivate(s, ctx.design, vm, g + 1)) {
        return `vm${vm} maps [${hex(g)}, ${hex(g + 2)}) huge (${kind(sp.private)}), but ${gfn(g)} is ${kind(isPrivate(s, ctx.design, vm, g))} and ${gfn(g + 1)} is ${kind(isPrivate(s, ctx.design, vm, g + 1))}`;
      }
      if (ctx.design.arch === 'snp' && sp.private && sp.pfn >= 0 && !s.pfns[sp.pfn].rmpHuge) {
        return `vm${vm} maps [${hex(g)}, ${hex(g + 2)}) huge, but the RMP entry of ${pfnName(sp.pfn)} is 4K`;
      }
    }
  }
  return null;
};

/** 7. Where KVM keeps a copy of guest_memfd's attributes, they agree outside a conversion. */
const attributesAgree: Check = (s, ctx) => {
  if (ctx.design.attributes !== 'gmem' || anyThread(s, (t) => t.op === 'convert')) return null;
  for (const vm of liveVms(s)) {
    if (!s.vms[vm].binding) continue;
    for (let i = 0; i < s.shared.length; i++) {
      if (s.vms[vm].private[i] === s.shared[i]) {
        return `guest_memfd says index ${hex(i)} is ${kind(!s.shared[i])}, KVM (vm${vm}) says ${kind(s.vms[vm].private[i])}`;
      }
    }
  }
  return null;
};

/** 8. A failed conversion leaves every index of its range as it was. */
const conversionAllOrNothing: Check = (s) =>
  s.seen.partialConversion ? 'a conversion failed with EAGAIN after converting part of its range' : null;

/** 9. (SNP) Every private SPTE points at a pfn assigned to its VM's ASID. */
const rmpAssignedWhilePrivateMapped: Check = (s, ctx) => {
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
};

/** 10. (TDX) Between operations, mirror SPTEs and S-EPT entries match one to one. */
const tdxMirrorMatchesSept: Check = (s, ctx) => {
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
};

/** 11. No mapping reaches a page that was neither zeroed nor populated. */
const zeroedBeforeFirstUse: Check = (s, ctx) => {
  // Only pages still owned: a mapping of a freed page is no-mapping-of-freed-memory's.
  const dirty = (p: number) => p >= 0 && s.pfns[p].index >= 0 && !s.pfns[p].zeroed;
  for (const vm of liveVms(s)) {
    const v = s.vms[vm];
    for (let g = 0; g < v.spte.length; g++) {
      const sp = v.spte[g];
      // A TD's mirror SPTE without its S-EPT entry maps nothing the TD can reach (property 10).
      if (!sp || (sp.private && sp.pfn >= 0 && s.pfns[sp.pfn].sept !== vm && ctx.design.arch === 'tdx')) continue;
      const [a, b] = spanOf(g, sp);
      for (let k = a; k < b; k++) {
        if (sp.pfn >= 0 && dirty(sp.pfn + k - a)) return `vm${vm} maps ${gfn(k)} to ${pfnName(sp.pfn + k - a)}, which was never zeroed`;
      }
    }
  }
  return first(pages(s), (_, i) => {
    if (dirty(s.umap[i])) return `userspace maps index ${hex(i)} to ${pfnName(s.umap[i])}, which was never zeroed`;
    for (let dom = 0; dom < s.iommu.length; dom++) {
      const m = s.iommu[dom][i];
      if (m && dirty(m.pfn)) return `IOMMU domain ${dom} maps index ${hex(i)} to ${pfnName(m.pfn)}, which was never zeroed`;
    }
    return null;
  });
};

/** Invalidations in progress, from the threads' own program counters (the ground truth). */
function invalidating(prev: GmemState, vm: number, ctx: Ctx): Thread[] {
  return prev.threads.filter((t): t is Thread => {
    if (!t) return false;
    if (t.op === 'convert' && ctx.design.attributes === 'vm') {
      return t.vm === vm && (t.pc === 'kvm_vm_set_mem_attributes' || t.pc === 'kvm_mmu_invalidate_end');
    }
    const bound = prev.vms[vm].binding;
    if (t.op === 'convert') return bound && (t.pc === 'kvm_gmem_set_attributes' || t.pc === 'kvm_gmem_invalidate_end');
    if (t.op === 'punchHole') return bound && (t.pc === 'truncate_inode_pages_range' || t.pc === 'kvm_gmem_invalidate_end');
    return false;
  });
}

/** 12. No SPTE installed inside an invalidation in progress, nor from a stale sequence snapshot. */
const noStaleMapping: StepCheck = (prev, _a, fx, ctx) => {
  for (const ins of fx.installs) {
    const t = prev.threads[ins.slot];
    const hi = ins.gfn + (ins.level === 1 ? 2 : 1);
    const inv = invalidating(prev, ins.vm, ctx).find((w) => w.lo < hi && ins.gfn < w.hi);
    if (inv) {
      return `vm${ins.vm} installed an SPTE for [${hex(ins.gfn)}, ${hex(hi)}) while ${inv.op === 'punchHole' ? 'PUNCH_HOLE' : 'a conversion'} of [${hex(inv.lo)}, ${hex(inv.hi)}) was invalidating it`;
    }
    if (t && t.seq >= 0 && t.seq !== prev.vms[ins.vm].seq) {
      return `vm${ins.vm}'s fault installed ${gfn(ins.gfn)} with mmu_seq ${t.seq}, but mmu_invalidate_seq is ${prev.vms[ins.vm].seq}`;
    }
  }
  return null;
};

const noPrefaultByGmem: StepCheck = (_p, _a, fx) =>
  fx.gmemMap ? 'guest_memfd created a KVM mapping on its own (pre-fault)' : fx.gmemPrepare ? 'guest_memfd zeroed and prepared a folio outside a KVM fault or populate' : null;

const noArchCallsFromGmem: StepCheck = (_p, _a, fx) =>
  fx.gmemArch ? 'guest_memfd wrote an arch table itself (kvm_arch_gmem_prepare / kvm_arch_gmem_invalidate)' : null;

const populateOnlyPrivateUnassigned: StepCheck = (_p, _a, fx) => {
  const w = fx.populate;
  if (!w) return null;
  if (!w.private) return `populate wrote ${gfn(w.gfn)}, which is shared`;
  if (!w.unassigned) return `populate wrote ${gfn(w.gfn)}, whose RMP entry was already assigned`;
  return null;
};

export const INVARIANTS: Readonly<Record<string, Check>> = {
  'no-shared-access-to-private': noSharedAccessToPrivate,
  'no-private-access-after-shared-conversion': noPrivateAccessAfterSharedConversion,
  'no-mapping-of-freed-memory': noMappingOfFreedMemory,
  'rmp-removed-on-last-reference': rmpRemovedOnLastReference,
  'tdx-page-removed-and-cleared-before-free': tdxPageRemovedAndCleared,
  'mapping-level-fits': mappingLevelFits,
  'attributes-agree': attributesAgree,
  'conversion-all-or-nothing': conversionAllOrNothing,
  'rmp-assigned-while-private-mapped': rmpAssignedWhilePrivateMapped,
  'tdx-mirror-matches-sept': tdxMirrorMatchesSept,
  'zeroed-before-first-use': zeroedBeforeFirstUse,
};

export const STEP_PROPERTIES: Readonly<Record<string, StepCheck>> = {
  'no-stale-mapping-during-invalidation': noStaleMapping,
  'no-prefault-by-gmem': noPrefaultByGmem,
  'no-arch-calls-from-gmem': noArchCallsFromGmem,
  'populate-only-private-unassigned': populateOnlyPrivateUnassigned,
};

export const WITNESSES: Readonly<Record<string, (s: GmemState) => boolean>> = {
  'conversion-fails-with-eagain-on-pin': (s) => s.seen.eagain,
  'private-fault-on-shared-exits-to-userspace': (s) => s.seen.memoryFault,
  'fault-retries-after-invalidation': (s) => s.seen.retried,
  'huge-mapping-installed': (s) => s.vms.some((v) => v.spte.some((sp) => sp !== null && sp.level === 1)),
  'file-outlives-its-vm-through-link': (s) =>
    !s.vms[0].alive && s.vms.some((v) => v.file === 'open') && s.filemap.some((p) => p >= 0),
};

export const LIVENESS = 'every-operation-ends';

export const PROPERTY_NAMES: readonly string[] = [
  ...Object.keys(INVARIANTS), ...Object.keys(STEP_PROPERTIES), LIVENESS, ...Object.keys(WITNESSES),
];

/** Skip the check where the step cannot matter to the property (exploration's hot path). */
function mayMatter(name: string, prev: GmemState, a: Action, next: GmemState, ctx: Ctx): boolean {
  switch (name) {
    case 'no-stale-mapping-during-invalidation': return a.step === 'kvm_tdp_mmu_map';
    case 'no-prefault-by-gmem': return a.step === 'kvm_gmem_allocate';
    case 'no-arch-calls-from-gmem': return ctx.design.arch === 'snp' && prev.pfns !== next.pfns;
    case 'populate-only-private-unassigned': return a.op === 'populate';
    default: return true;
  }
}

/** Build the model's properties; `effects` tells what a transition did (model.ts keeps the last edge's). */
export function gmemProperties(
  ctx: Ctx, effects: (prev: GmemState, a: Action) => Effects, quiescent: (s: GmemState) => boolean,
): Property<GmemState, Action>[] {
  return [
    ...Object.entries(INVARIANTS).map(([name, c]) => always<GmemState, Action>(name, (s) => c(s, ctx) === null, doc(name))),
    ...Object.entries(STEP_PROPERTIES).map(([name, c]) =>
      step<GmemState, Action>(name, (prev, a, next) => !mayMatter(name, prev, a, next, ctx) || c(prev, a, effects(prev, a), ctx) === null, doc(name))),
    eventually<GmemState, Action>(LIVENESS, quiescent, doc(LIVENESS)),
    ...Object.entries(WITNESSES).map(([name, w]) => sometimes<GmemState, Action>(name, w, doc(name))),
  ];
}

/**
 * The property's rationale and kernel code, carried by the property itself so that the review
 * and `gmemcheck list` show them. Every name has an entry (model-kit.test.ts): one missing is a
 * property a reviewer cannot weigh, so it throws at model construction rather than render blank.
 */
function doc(name: string): PropertyDoc {
  const info = propertyInfo[name];
  if (!info) throw new Error(`property "${name}" has no entry in src/property-info.ts: add its rationale and kernel code`);
  return { why: info.rationale, where: info.kernel };
}

export { propertyInfo };
