/**
 * The guest_memfd state as a reviewer of the design names it: the presentation's `view` (see
 * checker/model.ts), which the text and Mermaid reports diff step by step. Keys name kernel
 * objects (`vm0 SPTE gfn 0x1`, `pfn 0x10`, `RMP[pfn 0x10]`, `invalidate_lock`, `CPU0`), values
 * say how they read (`private pfn 0x10, 4K`). gfns, indices and pfns print in hex, pfns from
 * 0x10 as format.ts and the properties' sentences do, so that the three agree.
 *
 * What is left out: what is absent (no SPTE, no pin, no file: the diff reads it `none`), and the
 * model's bookkeeping: `started` (the per-kind budget of operations) and the `seen` flags, which
 * appear only once set, phrased as the event they record (`convert: -EAGAIN ...`), since a
 * witness or a violation may be about exactly that event. mmu_lock has no fact: every mmu_lock
 * critical section is one step of the model (ops/mmu.ts), so it is never held between states.
 */
import type { Fact } from '../checker/index.ts';
import type { Design } from './design.ts';
import type { Naming } from './format.ts';
import { BARE, operationLabel } from './format.ts';
import { actionOf } from './ops/common.ts';
import { conversionLocals } from './ops/convert-hugetlb.ts';
import type { GmemState, Pfn, Spte, Thread, Vm } from './state.ts';
import { PFN_BASE, hex, pfnName } from './state.ts';
import { rangeText, slotText } from './kernel/memslots.ts';

/** The facts by key, in the order first set: setting a key again changes its value in place. */
type Facts = Map<string, Fact>;

const put = (f: Facts, key: string, value: string) => f.set(key, { key, value });
/** A detail of the fact `parent` (`pfn 0x10.refs`), which goes unsaid when it vanishes with its parent. */
const detail = (f: Facts, parent: string, name: string, value: string) =>
  f.set(`${parent}.${name}`, { key: `${parent}.${name}`, value, parent });

/**
 * The view of `s`: VMs, then guest_memfd's indices, the pfns, the locks, the threads, the events.
 * `n`: pages in a huge folio or SPTE (bounds.folioPages). `naming`: where the layout translates, ranges say whether they are gfns or indices.
 */
export function gmemView(s: GmemState, design: Design, n: number, naming: Naming = BARE): Fact[] {
  const f: Facts = new Map();
  s.vms.forEach((vm, i) => vmFacts(f, vm, i, design, n, naming));
  indexFacts(f, s, design);
  s.pfns.forEach((p, k) => pfnFacts(f, p, k, design, n));
  put(f, 'mmap_lock', mmapLockText(s));
  put(f, 'invalidate_lock', holder(s.invalidateLock, 'held exclusive by')); // filemap_invalidate_lock()
  put(f, 'slots_lock', holder(s.slotsLock, 'held by'));
  s.threads.forEach((t, slot) => threadFacts(f, t, slot, design, n, naming));
  eventFacts(f, s);
  return [...f.values()];
}

const kind = (priv: boolean) => (priv ? 'private' : 'shared');
const cpu = (slot: number) => `CPU${slot}`;
const holder = (slot: number, how: string) => (slot < 0 ? 'free' : `${how} ${cpu(slot)}`);
const slotsOf = (mask: number) =>
  [...Array(31).keys()]
    .filter((k) => (mask >> k) & 1)
    .map(cpu)
    .join(', ');

/** mmap_lock, an rwsem: `held for write by CPU2`, `held for read by CPU0, CPU1; CPU2 queued for write`. */
function mmapLockText(s: GmemState): string {
  const held =
    s.mmapLock >= 0
      ? `held for write by ${cpu(s.mmapLock)}`
      : s.mmapReaders !== 0
        ? `held for read by ${slotsOf(s.mmapReaders)}`
        : 'free';
  return s.mmapWritersQueued !== 0 ? `${held}; ${slotsOf(s.mmapWritersQueued)} queued for write` : held;
}

const refs = (n: number) => `${n} ref${n === 1 ? '' : 's'}`;
/** The pfns of a huge folio or huge SPTE of `n` pages: `pfn 0x10-0x11`. */
const pfnSpan = (pfn: number, n: number) => `${pfnName(pfn - (pfn % n))}-${hex(PFN_BASE + pfn - (pfn % n) + n - 1)}`;
/** A huge level's name: `huge pair` at 2 pages, `huge 4-page` at 4. */
const hugeName = (n: number) => (n === 2 ? 'huge pair' : `huge ${n}-page`);

function vmFacts(f: Facts, v: Vm, i: number, design: Design, n: number, naming: Naming): void {
  const vm = `vm${i}`;
  const life = !v.alive ? 'destroyed' : v.bugged ? 'alive, KVM_BUG_ON: dead to userspace' : 'alive';
  put(
    f,
    vm,
    design.arch === 'snp' ? `${life}, ${v.asid > 0 ? `ASID ${v.asid}` : 'no ASID (moved to another VM)'}` : life,
  );
  const file = {
    none: undefined,
    open: 'open',
    dying: 'dying (last fput done, kvm_gmem_release pending)',
    released: 'released (kvm_gmem_release done)',
  }[v.file];
  if (file) put(f, `${vm} guest_memfd`, file);
  const slot = v.memslot
    ? v.binding
      ? 'bound to its guest_memfd'
      : "present, not in guest_memfd's bindings"
    : v.binding
      ? "deleted, still in guest_memfd's bindings"
      : undefined;
  if (slot && v.slots.length === 1 && v.slots[0].base === 0 && v.slots[0].pgoff === 0) put(f, `${vm} memslot`, slot);
  else if (slot) {
    // Several memslots, or one whose gfns are not its indices: each with its gfns and indices.
    v.slots.forEach((sl, k) => {
      const state = {
        live: 'live',
        invalid: 'KVM_MEMSLOT_INVALID (being deleted)',
        new: 'being created (not yet in the memslots)',
        none: 'deleted',
      }[sl.state];
      if (sl.state !== 'none' || sl.bound)
        put(f, `${vm} memslot ${k}`, `${slotText(sl)}, ${state}, ${sl.bound ? 'bound' : 'not bound'}`);
    });
  }
  // KVM's mem_attr_array; where guest_memfd owns shareability ('gmem'), KVM's copy of it.
  v.private.forEach((p, g) => {
    put(f, `${vm} gfn ${hex(g)}`, kind(p));
  });
  v.spte.forEach((sp, g) => {
    if (sp) put(f, `${vm} SPTE gfn ${hex(g)}`, spteText(sp, g, n));
  });
  v.mixed.forEach((m, j) => {
    if (m) put(f, `${vm} lpage_info gfn ${hex(n * j)}-${hex(n * j + n - 1)}`, 'KVM_LPAGE_MIXED_FLAG');
  });
  put(f, `${vm} mmu_invalidate_seq`, String(v.seq));
  const range = v.rangeLo >= 0 ? `, range ${rangeText('gfns', v.rangeLo, v.rangeHi, naming.named)}` : '';
  put(f, `${vm} mmu_invalidate_in_progress`, `${v.inProgress}${range}`);
}

/** `private pfn 0x10, 4K`; a level-1 SPTE maps the `n` gfns (and pfns) from its aligned one. */
function spteText(sp: Spte, gfn: number, n: number): string {
  const target = sp.pfn < 0 ? 'host memory (userspace_addr)' : sp.level === 1 ? pfnSpan(sp.pfn, n) : pfnName(sp.pfn);
  return `${kind(sp.private)} ${target}, ${sp.level === 1 ? `${hugeName(n)} gfn ${hex(gfn)}-${hex(gfn + n - 1)}` : '4K'}`;
}

/** guest_memfd's own per-index state, and who else maps its pages there. */
function indexFacts(f: Facts, s: GmemState, design: Design): void {
  s.filemap.forEach((p, i) => {
    if (design.attributes === 'gmem') put(f, `index ${hex(i)}`, s.shared[i] ? 'shared' : 'private');
    // The pfn's own fact says which index's folio it is and whether the filemap holds it; the
    // filemap is named here only where it disagrees (a bug in the model, were it to happen).
    const said = p >= 0 && s.pfns[p].index === i && s.pfns[p].cached;
    if (p >= 0 && !said) put(f, `filemap index ${hex(i)}`, pfnName(p));
  });
  s.pfns.forEach((p, k) => {
    if (p.cached && p.index >= 0 && s.filemap[p.index] !== k)
      put(f, `filemap index ${hex(p.index)}`, `lacks ${pfnName(k)}`);
  });
  s.umap.forEach((p, i) => {
    if (p >= 0) put(f, `userspace mmap index ${hex(i)}`, `PTE maps ${pfnName(p)}`);
  });
  s.pin.forEach((p, i) => {
    if (p >= 0) put(f, `GUP pin index ${hex(i)}`, pfnName(p));
  });
  s.iommu.forEach((dom, d) =>
    dom.forEach((m, i) => {
      if (m) put(f, `IOMMU domain ${d} IOVA ${hex(i)}`, `${kind(m.private)} ${pfnName(m.pfn)}`);
    }),
  );
}

/**
 * `pfn 0x10`: free, or the folio it belongs to; as its details its references (`.refs`) and
 * contents (`.data`), which change more often than the folio does. Then its RMP entry (SNP) or
 * its S-EPT / PAMT state (TDX).
 */
function pfnFacts(f: Facts, p: Pfn, k: number, design: Design, n: number): void {
  const pfn = pfnName(k);
  const leaked = p.leaked ? ', leaked (TDX removal failed)' : '';
  if (p.index < 0) {
    // The 1G series' pool takes a huge page back only whole: a freed page waits for the rest.
    put(f, pfn, p.hpage ? 'out of guest_memfd, held until its huge page is whole' : `free${leaked}`);
    if (p.refs > 0) detail(f, pfn, 'refs', refs(p.refs));
  } else {
    put(f, pfn, `gmem index ${hex(p.index)}, ${p.huge ? `huge folio ${pfnSpan(k, n)}` : '4K folio'}${leaked}`);
    // Out of the filemap with no reference: kept with the file for a binding (rmpLifetime 'binding').
    const out =
      p.refs > 0
        ? `out of the filemap, ${refs(p.refs)}`
        : 'out of the filemap, kept for the binding that holds its ASID';
    detail(f, pfn, 'refs', p.cached ? (p.refs > 0 ? `filemap + ${refs(p.refs)}` : 'filemap only') : out);
    detail(f, pfn, 'data', p.zeroed ? 'zeroed' : p.uptodate ? 'uptodate, not zeroed' : 'not yet cleared');
  }
  if (design.arch === 'snp') {
    const entry =
      p.rmpAsid > 0
        ? `assigned ASID ${p.rmpAsid} for gfn ${hex(p.rmpGpa)}, ${p.rmpHuge ? 'huge' : '4K'}`
        : 'hypervisor-owned';
    put(f, `RMP[${pfnName(k)}]`, p.rmpPending ? `${entry}, reclaim pending (work item)` : entry);
  }
  if (design.arch === 'tdx') {
    put(
      f,
      `S-EPT/PAMT[${pfnName(k)}]`,
      p.sept >= 0
        ? `in vm${p.sept}'s S-EPT, TD page${p.tdData ? ' with TD data' : ''}`
        : p.tdData
          ? 'in no S-EPT, TD data not cleared'
          : 'host page',
    );
  }
}

/**
 * `CPU0`: the operation in flight (`idle`), and as its details (`CPU0.next`...) the step it runs
 * next and the locals a fault carries across steps: its mmu_invalidate_seq snapshot, the pfn it
 * holds a reference on, the max level kvm_mmu_faultin_pfn() left it (the final one is chosen
 * under mmu_lock).
 */
function threadFacts(f: Facts, t: Thread | null, slot: number, design: Design, n: number, naming: Naming): void {
  const c = cpu(slot);
  if (!t) {
    put(f, c, 'idle');
    return;
  }
  const label = operationLabel(actionOf(slot, t.op, t.pc, t), naming);
  put(f, c, label.replace(/ -> /g, ' to '));
  detail(f, c, 'next', t.pc);
  const conversion = conversionLocals(t); // the 1G series' conversion keeps its work list in seq
  if (conversion) {
    detail(f, c, 'work', conversion.work.map(hex).join(', '));
    if (conversion.failed) detail(f, c, 'returns', '-EAGAIN / -ENOMEM');
  } else if (t.seq >= 0) detail(f, c, 'mmu_seq', String(t.seq));
  if (t.pfn >= 0) detail(f, c, 'pfn', `${pfnName(t.pfn)}, reference held`);
  if (t.pfn >= 0 && design.hugepages) detail(f, c, 'max_level', t.level === 1 ? hugeName(n) : '4K');
}

/** The ghost records, once set, as the events they record. */
function eventFacts(f: Facts, s: GmemState): void {
  const { seen } = s;
  if (seen.eagain) {
    put(f, 'convert', '-EAGAIN (a folio of the range held extra references)');
  }
  if (seen.memoryFault) put(f, 'vCPU exit', 'KVM_EXIT_MEMORY_FAULT (a private fault found the gfn shared)');
  if (seen.sharedFaultExit)
    put(f, 'vCPU exit (shared fault)', 'KVM_EXIT_MEMORY_FAULT (a shared fault found the gfn private)');
  if (seen.retried) put(f, 'vCPU fault', 'RET_PF_RETRY (mmu_invalidate_seq moved since the snapshot)');
  if (seen.hostWrotePrivate >= 0)
    put(
      f,
      'host write',
      `zeroes into ${pfnName(seen.hostWrotePrivate)} of a private index (truncate of a partial folio)`,
    );
}
