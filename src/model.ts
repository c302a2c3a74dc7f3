/**
 * gmemModel({ design, bounds }): the guest_memfd model as a checker `Model`. Threads sit in a
 * fixed array of slots (a race diagram's columns); an action either starts an operation in the
 * lowest free slot (running its first step) or runs the next step of the operation in a slot.
 */
import { produce } from './draft.ts';
import type { Model, Presentation, Property } from '../checker/index.ts';
import type { Bounds, BoundsInput } from './bounds.ts';
import { describeBounds, fillBounds } from './bounds.ts';
import type { Design } from './design.ts';
import type { GmemState, OpKind, Pfn, Thread, Vm } from './state.ts';
import { OP_KINDS, countStart, withThreads } from './state.ts';
import type { Action, Actor } from './ops/common.ts';
import { actionOf, newThread } from './ops/common.ts';
import { OPS } from './ops/index.ts';
import type { Ctx, Effects } from './kernel/context.ts';
import { noEffects } from './kernel/context.ts';
import { NO_DEADLOCK, gmemProperties, propertyNamed, violationOf } from './properties/index.ts';
import { formatAction, namingOf, stepOf } from './format.ts';
import { encodeState } from './encode.ts';
import { canonicalThreadSlots } from './symmetry.ts';
import { gmemView } from './view.ts';
import { gfnCount, slotLayout } from './kernel/memslots.ts';
import { chunkMixed } from './kernel/mmu.ts';

export interface GmemModelOptions {
  readonly design: Design;
  readonly bounds?: BoundsInput;
  /** The model's name in reports (default: "guest_memfd"). */
  readonly name?: string;
  /** Count states up to a renaming of thread slots (symmetry.ts); off by default. */
  readonly symmetry?: boolean;
}

export interface GmemModel extends Model<GmemState, Action> {
  /** Every presentation hook: the guest_memfd model says how each of its parts reads. */
  readonly presentation: Required<Presentation<GmemState, Action>>;
  readonly design: Design;
  readonly bounds: Bounds;
  /** The effects of one transition (who called the arch layer, what a fault installed...). */
  effects(prev: GmemState, action: Action): Effects;
}

export function initialState(design: Design, b: Bounds): GmemState {
  const page: Pfn = {
    index: -1,
    huge: false,
    cached: false,
    refs: 0,
    zeroed: false,
    uptodate: false,
    rmpAsid: 0,
    rmpHuge: false,
    rmpPending: false,
    rmpGpa: 0,
    sept: -1,
    tdData: false,
    leaked: false,
  };
  const fill = <T>(n: number, x: T): T[] => Array.from({ length: n }, () => x);
  /** Every gfn's initial attribute (true: PRIVATE), in KVM's mem_attr_array or guest_memfd. */
  // Each VM's gfn space runs to the end of its last memslot (kernel/memslots.ts); VM 0's memslots
  // are created and bound to its file, the other VMs' wait for KVM_LINK_GUEST_MEMFD.
  const gfns = gfnCount(b);
  const attrs = fill(gfns, !b.initiallyShared);
  const vm = (i: number): Vm => ({
    alive: true,
    bugged: false,
    asid: design.arch === 'snp' ? i + 1 : 0,
    file: i === 0 ? 'open' : 'none',
    binding: i === 0,
    memslot: i === 0,
    private: design.attributes === 'vm' ? fill(gfns, !b.initiallyShared) : [],
    spte: fill(gfns, null),
    seq: 0,
    inProgress: 0,
    rangeLo: -1,
    rangeHi: -1,
    // kvm_mmu_init_memslot_memory_attributes() (arch/x86/kvm/mmu/mmu.c): a chunk wholly in the
    // memslot is mixed when its gfns' initial attributes differ (none is: one attribute for all).
    mixed: Array.from({ length: Math.floor(gfns / b.folioPages) }, (_, j) => chunkMixed(attrs, j, b.folioPages)),
    slots: slotLayout(b).map((sl) => ({ ...sl, state: i === 0 ? 'live' : 'none', bound: i === 0 })),
  });
  const started = Object.fromEntries(OP_KINDS.map((k) => [k, 0])) as Record<OpKind, number>;
  return produce(
    {
      pfns: fill(b.pfns, page),
      filemap: fill(b.pages, -1),
      shared: design.attributes === 'gmem' ? fill(b.pages, b.initiallyShared) : [],
      vms: Array.from({ length: b.vms }, (_, i) => vm(i)),
      iommu: Array.from({ length: b.iommuDomains }, () => fill(b.pages, null)),
      umap: fill(b.pages, -1),
      pin: fill(b.pages, -1),
      mmapLock: -1,
      invalidateLock: -1,
      slotsLock: -1,
      mmapReaders: 0,
      mmapWritersQueued: 0,
      threads: fill(b.inFlight, null),
      started,
      seen: { eagain: false, memoryFault: false, sharedFaultExit: false, retried: false, hostWrotePrivate: -1 },
    } as GmemState,
    () => {},
  );
}

export function gmemModel(opts: GmemModelOptions): GmemModel {
  const { design } = opts;
  const bounds = fillBounds(design, opts.bounds);
  const ctx: Ctx = { design, bounds, fx: null };
  const budget = (op: OpKind) => bounds.ops[op] ?? 0;

  // An array, not a generator: the explorer takes every action of every state it expands.
  function actions(s: GmemState): Action[] {
    const out: Action[] = [];
    const failLeft = s.started.tdxRemoveFail < budget('tdxRemoveFail');
    for (let slot = 0; slot < s.threads.length; slot++) {
      const t = s.threads[slot];
      if (!t) continue;
      const a = actionOf(slot, t.op, t.pc, t);
      out.push(a);
      if (failLeft && OPS[t.op]!.mayFailTdx?.(t.pc, ctx)) out.push({ ...a, fail: true });
    }
    const free = s.threads.indexOf(null);
    if (free < 0) return out;
    let faults = 0;
    for (const t of s.threads) if (t?.op === 'fault') faults++;
    for (const op of OP_KINDS) {
      const spec = OPS[op];
      if (!spec || !spec.available(design) || s.started[op] >= budget(op)) continue;
      if (op === 'fault' && faults >= bounds.vcpus) continue;
      for (const args of spec.starts(s, ctx)) {
        const step = spec.first(ctx, args);
        const a = actionOf(free, op, step, args);
        out.push(a);
        if (failLeft && spec.mayFailTdx?.(step, ctx)) out.push({ ...a, fail: true });
      }
    }
    return out;
  }

  function run(s: GmemState, a: Action, c: Ctx): GmemState | undefined {
    const spec = OPS[a.op];
    const t = s.threads[a.slot];
    if (!spec || a.slot < 0 || a.slot >= s.threads.length) return undefined;
    if (t) {
      if (t.op !== a.op || t.pc !== a.step) return undefined;
      const fn = spec.steps[a.step];
      return fn ? fn(s, t, a, c) : undefined;
    }
    if (!spec.available(design) || s.started[a.op] >= budget(a.op) || s.threads.indexOf(null) !== a.slot)
      return undefined;
    const fn = spec.steps[a.step];
    if (!fn) return undefined;
    const thread: Thread = newThread(a.op, a.step, { vm: a.vm, lo: a.lo, hi: a.hi, priv: a.priv, dom: a.dom });
    // The thread enters its slot (plain copies, not a second produce: this runs on every start
    // the explorer tries); its first step's produce then freezes the result.
    // No callback, no computed key, no spread: a copy and a write, and literals (V8's fast paths).
    const threads = s.threads.slice();
    threads[a.slot] = thread;
    return fn(withThreads(s, threads, countStart(s.started, a.op)), thread, a, c);
  }

  // Every transition records its effects as it runs: the engine asks the step properties about
  // the edge it has just taken (nextState, then holds(prev, action, next)), so `effects` finds
  // them here instead of running the step a second time. Only another edge (an explanation, a
  // replay) runs it again.
  let memoPrev: GmemState | null = null;
  let memoAction: Action | null = null;
  let memoFx: Effects = noEffects();
  const recorded = (prev: GmemState, action: Action): GmemState | undefined => {
    memoPrev = prev;
    memoAction = action;
    memoFx = noEffects();
    return run(prev, action, { design, bounds, fx: memoFx });
  };
  const effects = (prev: GmemState, action: Action): Effects => {
    if (memoPrev !== prev || memoAction !== action) recorded(prev, action);
    return memoFx;
  };

  const quiescent = (s: GmemState): boolean => {
    if (s.threads.some((t) => t !== null)) return false;
    for (const a of actions(s)) if (run(s, a, ctx) !== undefined) return false;
    return true;
  };

  const actorOf = (a: Action): Actor => OPS[a.op]?.actor(a.step, ctx) ?? 'KVM';
  // Where the layout can give a gfn another index, labels and the view say which a number is.
  const naming = namingOf(bounds);

  return {
    name: opts.name ?? 'guest_memfd',
    design,
    bounds,
    effects,
    initStates: () => [initialState(design, bounds)],
    actions,
    nextState: recorded,
    properties: byStepTables(gmemProperties(ctx, effects, quiescent)),
    terminal: (s) => s.threads.every((t) => t === null),
    encode: encodeState,
    ...(opts.symmetry ? { canonicalize: canonicalThreadSlots } : {}),
    presentation: {
      formatAction: (a) => formatAction(a, naming),
      actionName: (a) => a.step,
      stepOf: (a) => stepOf(a, naming),
      threadOf: (a) => `CPU${a.slot}`,
      actorOf,
      view: (s) => gmemView(s, design, bounds.folioPages, naming),
      explain(property, state, prev, action) {
        const p = propertyNamed(property);
        if (p?.kind === 'always' || p?.kind === 'step') return violationOf(p, ctx, effects, state, prev, action);
        const stuck = state.threads.map((t, i) => (t ? `CPU${i} ${t.op} waits in ${t.pc}` : null)).filter(Boolean);
        return stuck.length > 0 ? `no thread can move: ${stuck.join('; ')}` : undefined;
      },
      describe: () => `design: ${describeDesign(design)}; bounds: ${describeBounds(bounds)}`,
      deadlockDoc: NO_DEADLOCK,
    },
  };
}

/**
 * The properties with their `canChange` read off a table per property, indexed by a number per
 * operation step looked up once per action: the engine asks every open property about the same
 * action in a row (some thirty lookups by operation and step per new state otherwise). Each
 * table is filled by the property's own `canChange`, which depends on the action's operation and
 * step alone (properties/record.ts changeFilter), so the answers are the same; an action whose
 * step is in no table asks it directly.
 */
function byStepTables(properties: readonly Property<GmemState, Action>[]): Property<GmemState, Action>[] {
  const ids = new Map<string, Map<string, number>>();
  const steps: Pick<Action, 'op' | 'step'>[] = [];
  for (const [op, spec] of Object.entries(OPS)) {
    const m = new Map<string, number>();
    for (const step of Object.keys(spec!.steps)) {
      m.set(step, steps.length);
      steps.push({ op: op as OpKind, step });
    }
    ids.set(op, m);
  }
  let last: Action | null = null;
  let lastId = -1;
  const idOf = (a: Action): number => {
    if (a !== last) {
      last = a;
      lastId = ids.get(a.op)?.get(a.step) ?? -1;
    }
    return lastId;
  };
  return properties.map((p) => {
    if (p.kind === 'eventually' || p.canChange === undefined) return p;
    const asked = p.canChange;
    const table = Uint8Array.from(steps, (a) => (asked(a as Action) ? 1 : 0));
    return { ...p, canChange: (a: Action) => (idOf(a) < 0 ? asked(a) : table[lastId] === 1) };
  });
}

function describeDesign(d: Design): string {
  return `attributes=${d.attributes}, arch=${d.arch}${d.inPlaceConversion ? ', in place' : ''}${d.hugepages ? ', hugepages' : ''}`;
}
