/**
 * The property records' `changedBy` is data the engine may trust: over random reachable
 * transitions of every design, a state property or witness changes value, and a step property
 * fails, only across a step its record lists; each part of the state changes only across a step
 * that properties/writes.ts says writes it. fast-check draws the walks (seed fixed).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canChange, designNames, designs, gmemModel, OPS, PROPERTIES } from '../../src/index.ts';
import type { Action, BoundsInput, GmemModel, GmemProperty, GmemState, StepSet } from '../../src/index.ts';
import { WRITES } from '../../src/properties/writes.ts';
import type { StatePart } from '../../src/properties/writes.ts';
import { walk } from './walk.ts';

/** Every operation, at 4 pages, 2 VMs, 3 threads, both fault types and both conversion targets. */
const BIG: BoundsInput = {
  pages: 4,
  vms: 2,
  vcpus: 2,
  inFlight: 3,
  ranges: 'all',
  faultType: 'both',
  convertTo: 'both',
  ops: {
    fault: 6,
    convert: 3,
    punchHole: 2,
    allocate: 2,
    populate: 2,
    close: 2,
    unbind: 1,
    link: 1,
    destroyVm: 2,
    mmapFault: 3,
    munmap: 2,
    pin: 2,
    unpin: 2,
    iommuMap: 2,
    rmpReclaimWork: 2,
    tdxRemoveFail: 1,
    bind: 1,
  },
};

/** What each part of the state is, read the way writes.ts names it. */
const PART: Readonly<Record<StatePart, (s: GmemState) => unknown>> = {
  conversions: (s) => s.threads.map((t) => (t?.op === 'convert' ? [t.lo, t.hi, t.priv] : null)),
  attributes: (s) => [s.shared, s.vms.map((v) => v.private)],
  mixed: (s) => s.vms.map((v) => v.mixed),
  alive: (s) => s.vms.map((v) => v.alive),
  asid: (s) => s.vms.map((v) => v.asid),
  bugged: (s) => s.vms.map((v) => v.bugged),
  binding: (s) => s.vms.map((v) => v.binding),
  memslot: (s) => s.vms.map((v) => v.memslot),
  slots: (s) => s.vms.map((v) => v.slots),
  file: (s) => s.vms.map((v) => v.file),
  spte: (s) => s.vms.map((v) => v.spte),
  iommu: (s) => s.iommu,
  umap: (s) => s.umap,
  pin: (s) => s.pin,
  folios: (s) => [s.filemap, s.pfns.map((p) => [p.index, p.cached, p.huge])],
  zeroed: (s) => s.pfns.map((p) => [p.zeroed, p.uptodate]),
  rmp: (s) => s.pfns.map((p) => [p.rmpAsid, p.rmpHuge, p.rmpPending]),
  sept: (s) => s.pfns.map((p) => [p.sept, p.tdData, p.leaked]),
  hostWrotePrivate: (s) => s.seen.hostWrotePrivate,
  eagain: (s) => s.seen.eagain,
  memoryFault: (s) => s.seen.memoryFault,
  retried: (s) => s.seen.retried,
};

const listed = (set: StepSet, a: Action) => set[a.op]?.includes(a.step) ?? false;
const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);

/** The value a state property or witness has in `s` (a step property has none). */
function valueIn(m: GmemModel, p: GmemProperty, s: GmemState): boolean | null {
  const ctx = { design: m.design, bounds: m.bounds, fx: null };
  if (p.kind === 'always') return p.violation(s, ctx) === null;
  if (p.kind === 'sometimes') return p.reached(s);
  return null;
}

/** What changed across `prev` -a-> `next` that the records do not list for step `a`. */
function unlisted(
  m: GmemModel,
  properties: readonly GmemProperty[],
  prev: GmemState,
  a: Action,
  next: GmemState,
): string[] {
  const out: string[] = [];
  const ctx = { design: m.design, bounds: m.bounds, fx: null };
  for (const p of properties) {
    if (canChange(p, a)) continue;
    const changed =
      p.kind === 'step'
        ? p.violation(prev, a, m.effects(prev, a), ctx, next) !== null
        : valueIn(m, p, prev) !== valueIn(m, p, next);
    if (changed) out.push(`${p.name} changed on ${a.op} ${a.step}`);
  }
  for (const part of Object.keys(PART) as StatePart[]) {
    if (!listed(WRITES[part], a) && !same(PART[part](prev), PART[part](next)))
      out.push(`${part} written by ${a.op} ${a.step}`);
  }
  return out;
}

/** Walk, stopping at the first transition `unlisted` objects to. */
function firstUnlisted(m: GmemModel, properties: readonly GmemProperty[], choices: number[]): string[] {
  let bad: string[] = [];
  walk(m, choices, (prev, a, next) => (bad = unlisted(m, properties, prev, a, next)).length > 0);
  return bad;
}

describe('changedBy: a property changes only across the steps its record lists', () => {
  it('names only steps that exist, in writes.ts and in every record', () => {
    const sets: [string, StepSet][] = [
      ...Object.entries(WRITES),
      ...PROPERTIES.flatMap((p): [string, StepSet][] => (p.changedBy === 'any' ? [] : [[p.name, p.changedBy]])),
    ];
    const unknown = sets.flatMap(([name, set]) =>
      Object.entries(set).flatMap(([op, steps]) =>
        (steps ?? []).filter((st) => !OPS[op as keyof typeof OPS]?.steps[st]).map((st) => `${name}: ${op} ${st}`),
      ),
    );
    expect(unknown).toEqual([]);
  });

  it('every state property, step property and witness but three says which steps change it', () => {
    // The three read "no operation in flight", which every step that starts or ends one changes.
    expect(PROPERTIES.filter((p) => p.changedBy === 'any').map((p) => p.name)).toEqual([
      'invalidations-balanced',
      'tdx-mirror-matches-sept',
      'every-operation-ends',
    ]);
  });

  for (const name of designNames()) {
    it(`${name}: 40 walks of up to 60 steps, private and shared at first`, () => {
      for (const initiallyShared of [false, true]) {
        const m = gmemModel({ design: designs[name], bounds: { ...BIG, initiallyShared } });
        fc.assert(
          fc.property(fc.array(fc.nat(), { maxLength: 60 }), (choices) => {
            expect(firstUnlisted(m, PROPERTIES, choices)).toEqual([]);
          }),
          { numRuns: 20, seed: 20251201 },
        );
      }
    });
  }

  it('catches a record that leaves out a step: the memory-fault witness without the fault', () => {
    const m = gmemModel({ design: designs.upstream, bounds: { ...BIG, initiallyShared: true } });
    const witness = 'private-fault-on-shared-exits-to-userspace';
    const narrowed = PROPERTIES.map((p) => (p.name === witness ? { ...p, changedBy: {} } : p));
    const found = new Set<string>();
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 60 }), (choices) => {
        for (const b of firstUnlisted(m, narrowed, choices)) found.add(b);
      }),
      { numRuns: 40, seed: 20251201 },
    );
    expect([...found]).toContain(`${witness} changed on fault kvm_mem_is_private`);
  });
});
