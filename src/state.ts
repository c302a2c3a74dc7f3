/**
 * The immutable snapshot of host memory, guest_memfd, KVM, the IOMMU, userspace, the arch tables
 * and every in-flight operation. Plain data only: arrays indexed by pfn, guest_memfd index, gfn
 * (SPTEs, KVM's attributes; a memslot maps gfn base + (index - pgoff) to index), VM, IOMMU domain
 * and thread slot, so that two equal states are equal data whatever order their operations ran in.
 */

/** Each VM's guest_memfd file (`struct gmem_file`): its life cycle. */
export type FileState =
  | 'none' //      no file for this VM (yet): KVM_CREATE_GUEST_MEMFD / KVM_LINK_GUEST_MEMFD not run
  | 'open' //      a live file: get_file_active() succeeds
  | 'dying' //     the last fput() ran, kvm_gmem_release() not yet: get_file_active() fails
  | 'released'; // kvm_gmem_release() ran: bindings nulled, SPTEs zapped, VM reference put

/** A stage-2 (TDP / NPT / EPT) leaf SPTE at a gfn. `level` 1 maps the 2-page chunk gfn, gfn + 1. */
export interface Spte {
  /** The host pfn; -1 for shared memory outside guest_memfd (upstream: the memslot's userspace_addr). */
  readonly pfn: number;
  readonly private: boolean;
  readonly level: 0 | 1;
}

export interface Vm {
  readonly alive: boolean;
  /**
   * kvm->vm_dead: KVM_BUG_ON() fired (kvm_vm_bugged: a failed TDX removal) or the encryption
   * context moved to another VM (sev_vm_move_enc_context_from -> kvm_vm_dead). vCPUs and VM
   * ioctls (memslot changes, attributes, populate) fail with -EIO; the VM lives until destroyed.
   */
  readonly bugged: boolean;
  /** SEV ASID (0: none); moved to the destination by sev_vm_move_enc_context_from(). */
  readonly asid: number;
  readonly file: FileState;
  /** The file's bindings xarray holds this VM's memslot (kvm_gmem_bind). */
  readonly binding: boolean;
  /** The memslot exists (KVM_SET_USER_MEMORY_REGION2 with guest_memfd, not deleted). */
  readonly memslot: boolean;
  /**
   * KVM's memory attributes per gfn (mem_attr_array): true = PRIVATE. Empty in 'gmem' designs:
   * the in-place series keeps no per-VM copy (kvm_mem_is_private reads guest_memfd's attributes).
   */
  readonly private: readonly boolean[];
  /** Leaf SPTEs per gfn; a level-1 SPTE sits at its even gfn and covers the next one. */
  readonly spte: readonly (Spte | null)[];
  readonly seq: number; //          mmu_invalidate_seq
  readonly inProgress: number; //   mmu_invalidate_in_progress
  readonly rangeLo: number; //      mmu_invalidate_range_start (-1: INVALID_GPA)
  readonly rangeHi: number; //      mmu_invalidate_range_end (exclusive)

  // Huge mappings (issue 11, correction 3).
  /**
   * Per 2-page chunk (gfns 2j, 2j + 1) wholly inside the memslot: lpage_info's
   * KVM_LPAGE_MIXED_FLAG (arch/x86/kvm/mmu/mmu.c hugepage_set_mixed / hugepage_test_mixed), set
   * when the chunk's attributes differ. Written only by kvm_arch_post_set_memory_attributes()
   * (and at memslot creation); read by the fault under mmu_lock and by the straddle widening.
   */
  readonly mixed: readonly boolean[];

  // Memslots and their bindings (issue 12): kernel/memslots.ts translates between gfns and indices.
  /**
   * The VM's guest_memfd memslots, one entry per position the bounds give (`Bounds.memslots`),
   * deleted ones included. `binding` and `memslot` above summarise them: some slot is bound to
   * the VM's file / some slot exists (live or being deleted).
   */
  readonly slots: readonly Memslot[];
}

/**
 * A memslot created with KVM_SET_USER_MEMORY_REGION2 and a guest_memfd (struct kvm_memory_slot):
 * gfns [base, base + npages) map the file's indices [pgoff, pgoff + npages), gfn = base +
 * (index - pgoff) (virt/kvm/guest_memfd.c kvm_gmem_bind, __kvm_gmem_invalidate_begin).
 */
export interface Memslot {
  readonly base: number; //    base_gfn
  readonly npages: number;
  readonly pgoff: number; //   slot->gmem.pgoff: the first index it binds
  /**
   * 'none': not created or deleted; 'new': being created, bound (kvm_gmem_bind) but not yet in
   * the active memslots; 'live': in the active memslots; 'invalid': being deleted,
   * KVM_MEMSLOT_INVALID set and installed (kvm_invalidate_memslot), faults on it retry.
   */
  readonly state: 'none' | 'new' | 'live' | 'invalid';
  /** The VM's file's bindings xarray holds it (kvm_gmem_bind; erased by kvm_gmem_unbind / release). */
  readonly bound: boolean;
}

/** A host page frame. */
export interface Pfn {
  /** The guest_memfd index that owns it, or -1: back in the host allocator. */
  readonly index: number;
  /** Part of an order-1 folio (pfns 2k and 2k + 1 for indices 2j and 2j + 1). */
  readonly huge: boolean;
  /** In the filemap (the page cache holds its reference). */
  readonly cached: boolean;
  /** Other references: kvm_gmem_get_pfn() until KVM puts it, userspace PTEs, GUP pins, leaks. */
  readonly refs: number;
  /** Zeroed (or populated) since it was allocated: never shows a previous owner's data. */
  readonly zeroed: boolean;
  /** folio_test_uptodate(): the folio was cleared on first use (kept on every page of the folio). */
  readonly uptodate: boolean;
  /** SEV-SNP RMP entry: ASID it is assigned to (0: hypervisor-owned) and its page size. */
  readonly rmpAsid: number;
  readonly rmpHuge: boolean;
  /** rmpReclaim 'deferred': freed while assigned, reclaim queued to a work item. */
  readonly rmpPending: boolean;

  // The RMP entry's GPA (struct rmp_state.gpa, arch/x86/virt/svm/sev.c rmp_make_private): the
  // gfn the entry was assigned for (sev_gmem_prepare, sev_gmem_post_populate); for a page of a
  // 2M entry the 2M-aligned gfn plus the page's offset, as PSMASH writes it; 0 while unassigned.
  readonly rmpGpa: number;
  /** TDX: the VM whose S-EPT maps it (-1: none), and whether it holds TD data (not cleared). */
  readonly sept: number;
  readonly tdData: boolean;
  /** tdxPinsPages (before ce7b5695397b): a TDX removal failed and KVM keeps its page reference forever. */
  readonly leaked: boolean;

  // The 1G HugeTLB series (RFC v2): the huge-page pool (kernel/hugetlb.ts). Optional: absent
  // (false) in every design without the guestmem_hugetlb allocator.
  /**
   * The page belongs to a huge page taken from the pool (guestmem_hugetlb_alloc_folio), split or
   * not; cleared when the whole huge page goes back to the pool.
   */
  readonly hpage?: boolean;
  /** TDX: the S-EPT entry that maps it is a 2M entry (TDH.MEM.PAGE.AUG at 2M, before DEMOTE). */
  readonly septHuge?: boolean;
}

/** An IOMMU mapping of an IOVA (= index) in a domain. */
export interface Iova {
  readonly pfn: number;
  readonly private: boolean;
}

export type OpKind =
  | 'fault'
  | 'convert'
  | 'punchHole'
  | 'allocate'
  | 'populate'
  | 'mmapFault'
  | 'munmap'
  | 'pin'
  | 'unpin'
  | 'close'
  | 'unbind'
  | 'link'
  | 'destroyVm'
  | 'iommuMap'
  | 'rmpReclaimWork'
  | 'tdxRemoveFail'
  | 'bind';

export const OP_KINDS: readonly OpKind[] = [
  'fault',
  'convert',
  'punchHole',
  'allocate',
  'populate',
  'mmapFault',
  'munmap',
  'pin',
  'unpin',
  'close',
  'unbind',
  'link',
  'destroyVm',
  'iommuMap',
  'rmpReclaimWork',
  'tdxRemoveFail',
  'bind',
];

/** An in-flight operation: its program counter and locals. Unused locals stay at their defaults. */
export interface Thread {
  readonly op: OpKind;
  /** The next step to run (the kernel function it models). */
  readonly pc: string;
  readonly vm: number;
  /** The index / gfn range [lo, hi) the operation works on. */
  readonly lo: number;
  readonly hi: number;
  /** Fault type / conversion target: true = private. */
  readonly priv: boolean;
  readonly dom: number;
  /** The fault's snapshot of mmu_invalidate_seq (-1 before it is taken). */
  readonly seq: number;
  /**
   * The pfn kvm_gmem_get_pfn() returned, with a reference held (-1: none); for a userspace fault,
   * the folio kvm_gmem_get_folio() returned, locked and with a reference, until finish_fault.
   */
  readonly pfn: number;
  /**
   * fault->max_level after kvm_mmu_faultin_pfn() (guest_memfd's max_order, the arch's level),
   * before mmu_lock; install decides the final level under mmu_lock (kvm_mmu_hugepage_adjust).
   */
  readonly level: 0 | 1;
}

export interface GmemState {
  /** Per pfn. */
  readonly pfns: readonly Pfn[];
  /** Per index: the filemap's folio page (pfn), or -1. */
  readonly filemap: readonly number[];
  /** Per index: guest_memfd's shareability (true = shared); empty where KVM tracks attributes. */
  readonly shared: readonly boolean[];
  /** Per VM. */
  readonly vms: readonly Vm[];
  /** Per IOMMU domain, per IOVA (= index). */
  readonly iommu: readonly (readonly (Iova | null)[])[];
  /** Per index: the pfn userspace's mmap of the guest_memfd maps (-1: none). */
  readonly umap: readonly number[];
  /** Per index: the pfn a GUP pin holds (-1: none). */
  readonly pin: readonly number[];
  /** Lock holders (thread slot, -1: free). mmu_lock is never held across steps (kernel/locks.ts). */
  readonly mmapLock: number;
  readonly invalidateLock: number;
  readonly slotsLock: number;

  // --- rw-semaphores (kernel/locks.ts) ------------------------------------------------------
  // mmap_lock and invalidate_lock are rw_semaphores: the holder fields above are their writers.
  // Readers of mmap_lock are held across steps (the userspace fault holds mmap_read_lock from
  // lock_mm_and_find_vma to finish_fault); every shared section of invalidate_lock is one step,
  // so it needs no readers field. Writers queue fairly: a queued writer blocks later readers.
  /** mmap_lock readers: bit `1 << slot` per thread slot holding mmap_read_lock(). */
  readonly mmapReaders: number;
  /** mmap_lock writers queued in mmap_write_lock() (bit per slot), not yet holding it. */
  readonly mmapWritersQueued: number;
  /** Per slot: the in-flight operation or null. */
  readonly threads: readonly (Thread | null)[];
  /** Per op kind: how many have started (bounded by Bounds.ops). */
  readonly started: Readonly<Record<OpKind, number>>;
  /** Sticky records of what happened, for witnesses and for violations that are events. */
  readonly seen: {
    readonly eagain: boolean; //             a conversion to private failed with EAGAIN
    readonly memoryFault: boolean; //        a private fault on a shared gfn exited with KVM_EXIT_MEMORY_FAULT
    readonly sharedFaultExit: boolean; //    a shared fault on a private gfn exited with KVM_EXIT_MEMORY_FAULT
    readonly retried: boolean; //            a fault retried because an invalidation raced it
    readonly hostWrotePrivate: number; //    pfn the host wrote while its index was private (-1: none)
  };
}

export const NO_THREAD_LOCALS = { vm: 0, lo: 0, hi: 0, priv: false, dom: 0, seq: -1, pfn: -1, level: 0 } as const;

/** Pfns print from 0x10, so that they never read as gfns / indices. */
export const PFN_BASE = 0x10;

export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}
export function pfnName(pfn: number): string {
  return pfn < 0 ? 'a host page' : `pfn ${hex(PFN_BASE + pfn)}`;
}

/** Does any in-flight thread satisfy `pred`? */
export function anyThread(s: GmemState, pred: (t: Thread) => boolean): boolean {
  return s.threads.some((t) => t !== null && pred(t));
}

/**
 * `s` with other threads (and start counts): one literal naming every field, for the moves that
 * change nothing else (a start entering its slot, a step that moves only its own thread). V8
 * copies a spread of this many fields several times slower than a literal, and these run on most
 * transitions. A field added to GmemState is a type error here until it is named.
 */
export function withThreads(
  s: GmemState,
  threads: GmemState['threads'],
  started: GmemState['started'] = s.started,
  seen: GmemState['seen'] = s.seen,
): GmemState {
  return {
    pfns: s.pfns,
    filemap: s.filemap,
    shared: s.shared,
    vms: s.vms,
    iommu: s.iommu,
    umap: s.umap,
    pin: s.pin,
    mmapLock: s.mmapLock,
    invalidateLock: s.invalidateLock,
    slotsLock: s.slotsLock,
    mmapReaders: s.mmapReaders,
    mmapWritersQueued: s.mmapWritersQueued,
    threads,
    started,
    seen,
  };
}

/** A shallow copy of `s` (the draft's root), as a literal: see withThreads. */
export function copyState(s: GmemState): GmemState {
  return withThreads(s, s.threads);
}

/** The start counts with one more `op`: a literal over every kind, in OP_KINDS order (see withThreads). */
export function countStart(c: Readonly<Record<OpKind, number>>, op: OpKind): Record<OpKind, number> {
  const out: Record<OpKind, number> = {
    fault: c.fault,
    convert: c.convert,
    punchHole: c.punchHole,
    allocate: c.allocate,
    populate: c.populate,
    mmapFault: c.mmapFault,
    munmap: c.munmap,
    pin: c.pin,
    unpin: c.unpin,
    close: c.close,
    unbind: c.unbind,
    link: c.link,
    destroyVm: c.destroyVm,
    iommuMap: c.iommuMap,
    rmpReclaimWork: c.rmpReclaimWork,
    tdxRemoveFail: c.tdxRemoveFail,
    bind: c.bind,
  };
  out[op]++;
  return out;
}

/**
 * How the step draft (draft.ts) copies and settles the fields most steps touch (the threads on
 * every step, the VMs on most), compiled from key lists the compiler checks: `Record<keyof T,
 * ...>` must name every field of T, so a field added to Thread, Vm, Spte or Memslot is a type
 * error below until it is listed, and the copy and the comparison then both take it. `thaw`
 * gives a mutable deep copy (literals: V8 copies them several times faster than it walks keys);
 * `settle(next, base)` gives `base` where the step left the field equal, else `next` with each
 * equal part replaced by the base's (the structural sharing the generic settle gives).
 */
export interface DraftField {
  thaw(x: unknown): unknown;
  settle(next: unknown, base: unknown): unknown;
}

/** A field's kind: a value compared with ===, or an array of booleans, SPTEs or memslots. */
type Kind = 'value' | 'bools' | 'sptes' | 'slots';

const THREAD: Record<keyof Thread, 'value'> = {
  vm: 'value',
  lo: 'value',
  hi: 'value',
  priv: 'value',
  dom: 'value',
  seq: 'value',
  pfn: 'value',
  level: 'value',
  op: 'value',
  pc: 'value',
};
const SPTE: Record<keyof Spte, 'value'> = { pfn: 'value', private: 'value', level: 'value' };
const MEMSLOT: Record<keyof Memslot, 'value'> = {
  base: 'value',
  npages: 'value',
  pgoff: 'value',
  state: 'value',
  bound: 'value',
};
const VM: Record<keyof Vm, Kind> = {
  alive: 'value',
  bugged: 'value',
  asid: 'value',
  file: 'value',
  binding: 'value',
  memslot: 'value',
  private: 'bools',
  spte: 'sptes',
  seq: 'value',
  inProgress: 'value',
  rangeLo: 'value',
  rangeHi: 'value',
  mixed: 'bools',
  slots: 'slots',
};

type Copy<T> = (x: T) => T;
type Same<T> = (a: T, b: T) => boolean;

/** `x => ({ k1: x.k1, ... })`, the array fields copied by `arrays`. */
function compileCopy<T>(
  fields: Record<string, Kind>,
  arrays: Record<string, (a: readonly unknown[]) => unknown[]>,
): Copy<T> {
  const body = Object.entries(fields)
    .map(
      ([k, kind]) =>
        `${JSON.stringify(k)}: ${kind === 'value' ? `x[${JSON.stringify(k)}]` : `A.${kind}(x[${JSON.stringify(k)}])`}`,
    )
    .join(', ');
  return new Function('A', `return function copy(x) { return { ${body} }; };`)(arrays) as Copy<T>;
}

/** `(a, b) => a.k1 === b.k1 && ...` over every field. */
function compileSame<T>(fields: Record<string, Kind>): Same<T> {
  const body = Object.keys(fields)
    .map((k) => `a[${JSON.stringify(k)}] === b[${JSON.stringify(k)}]`)
    .join(' && ');
  return new Function(`return function same(a, b) { return ${body}; };`)() as Same<T>;
}

const copyThread = compileCopy<Thread>(THREAD, {});
const sameThread = compileSame<Thread>(THREAD);
const copySpteFields = compileCopy<Spte>(SPTE, {});
const sameSpteFields = compileSame<Spte>(SPTE);
const copyMemslot = compileCopy<Memslot>(MEMSLOT, {});
const sameMemslot = compileSame<Memslot>(MEMSLOT);
const copySpte = (p: Spte | null): Spte | null => (p === null ? null : copySpteFields(p));
const sameSpte = (a: Spte | null, b: Spte | null): boolean => a !== null && b !== null && sameSpteFields(a, b);
const ARRAYS = {
  bools: (a: readonly unknown[]) => a.slice(),
  sptes: (a: readonly unknown[]) => (a as readonly (Spte | null)[]).map(copySpte),
  slots: (a: readonly unknown[]) => (a as readonly Memslot[]).map(copyMemslot),
};
const copyVm = compileCopy<Vm>(VM, ARRAYS);
/** Every field of a VM, its arrays settled first (they are then the base's own where equal). */
const sameVm = compileSame<Vm>(VM);

/** `next` with each element equal to the base's (by `same`) replaced by it; `base` when all are. */
function settleArray<T>(next: T[], base: readonly T[], same: Same<T>): readonly T[] {
  let all = next.length === base.length;
  for (let i = 0; i < next.length; i++) {
    const b = i < base.length ? base[i] : undefined;
    if (b !== undefined && (next[i] === b || same(next[i], b))) next[i] = b;
    else all = false;
  }
  return all ? base : next;
}
const sameValue = <T>(a: T, b: T) => a === b;
/** The array fields of a VM and how their elements compare. */
const VM_ARRAYS = Object.entries(VM)
  .filter(([, kind]) => kind !== 'value')
  .map(([k, kind]): [string, Same<unknown>] => [
    k,
    (kind === 'bools' ? sameValue : kind === 'sptes' ? sameSpte : sameMemslot) as Same<unknown>,
  ]);

/** A VM copy's arrays settled against the base VM's, then the VM itself compared. */
function settleVm(next: Vm, base: Vm): boolean {
  const n = next as unknown as Record<string, unknown[]>,
    b = base as unknown as Record<string, unknown[]>;
  for (let j = 0; j < VM_ARRAYS.length; j++) {
    const [key, same] = VM_ARRAYS[j];
    n[key] = settleArray(n[key], b[key], same) as unknown[];
  }
  return sameVm(next, base);
}

export const DRAFT_FIELDS: Readonly<Partial<Record<keyof GmemState, DraftField>>> = {
  threads: {
    thaw: (x) => (x as GmemState['threads']).map((t) => (t === null ? null : copyThread(t))),
    settle: (next, base) =>
      settleArray(
        next as (Thread | null)[],
        base as GmemState['threads'],
        (a, b) => a !== null && b !== null && sameThread(a, b),
      ),
  },
  vms: {
    thaw: (x) => (x as readonly Vm[]).map(copyVm),
    settle: (next, base) => settleArray(next as Vm[], base as readonly Vm[], settleVm),
  },
};
