/**
 * How big a configuration is: pages, VMs, vCPU threads, IOMMU domains, operations in flight, and
 * how many operations of each kind may start. Every bound is finite, so every configuration has
 * a finite state space: mmu_invalidate_seq only grows when an operation that was counted in
 * `ops` runs, so it is bounded too.
 */
import type { Design } from './design.ts';
import type { OpKind } from './state.ts';
import { OP_KINDS } from './state.ts';

export interface Bounds {
  /** guest_memfd indices (the file's size in pages). */
  readonly pages: number;
  /** Host pfns (default: as many as pages). */
  readonly pfns: number;
  readonly vms: number;
  /** vCPU threads: how many faults may be in flight at once. */
  readonly vcpus: number;
  readonly iommuDomains: number;
  /** Thread slots: how many operations may be in flight at once. */
  readonly inFlight: number;
  /** How many operations of each kind may start; a kind left out never runs. */
  readonly ops: Readonly<Partial<Record<OpKind, number>>>;
  /** Every index starts shared (else private). */
  readonly initiallyShared: boolean;
  /** Ranges operations use: single pages only, also the whole file, or also every two adjacent pages. */
  readonly ranges: 'pages' | 'all' | 'pairs';
  /** Conversions go to this attribute only ('both': either). */
  readonly convertTo: 'private' | 'shared' | 'both';
  /** Faults of this type only ('both': either). */
  readonly faultType: 'private' | 'shared' | 'both';

  // Memslots (issue 12, kernel/memslots.ts): each VM binds its file through `memslots` memslots
  // that split the indices [slotPgoff, pages) into consecutive ranges (the last takes the rest);
  // the first starts at gfn slotBase, each next one slotGap gfns after the previous one's end.
  // The default is one memslot mapping gfn i to index i.
  /** Memslots per VM (1..3). */
  readonly memslots: number;
  /** base_gfn of the first memslot (odd: not huge-aligned). */
  readonly slotBase: number;
  /** gfns left between one memslot's end and the next one's base. */
  readonly slotGap: number;
  /** The first index bound (slot->gmem.pgoff of the first memslot). */
  readonly slotPgoff: number;
  /**
   * A deleted memslot may also be created slotMove gfns above its layout base (0: only at its
   * own): the move userspace makes of a guest_memfd memslot, a deletion then a creation.
   */
  readonly slotMove: number;
  /**
   * Pages in a huge folio, huge SPTE, 2M RMP block and huge S-EPT entry (2 or 4): the model's one
   * huge level. 2 stands for the 2M level, 4 for the 1G HugeTLB series' 1G page.
   */
  readonly folioPages: number;
}

export type BoundsInput = Partial<Omit<Bounds, 'ops'>> & { ops?: Partial<Record<OpKind, number>> };

export const DEFAULT_OPS: Readonly<Partial<Record<OpKind, number>>> = Object.freeze({
  fault: 2,
  convert: 1,
});

/** The values each enumerated bound takes. */
const CHOICES: Readonly<Record<string, readonly unknown[]>> = {
  initiallyShared: [true, false],
  ranges: ['pages', 'all', 'pairs'],
  convertTo: ['private', 'shared', 'both'],
  faultType: ['private', 'shared', 'both'],
  folioPages: [2, 4],
};

export function fillBounds(design: Design, input: BoundsInput = {}): Bounds {
  const pages = input.pages ?? 2;
  const b: Bounds = {
    pages,
    pfns: input.pfns ?? pages,
    vms: input.vms ?? 1,
    vcpus: input.vcpus ?? 2,
    iommuDomains: input.iommuDomains ?? (design.iommuMapsGmem === 'none' ? 0 : 1),
    inFlight: input.inFlight ?? 2,
    ops: Object.freeze({ ...(input.ops ?? DEFAULT_OPS) }),
    initiallyShared: input.initiallyShared ?? false,
    ranges: input.ranges ?? 'pages',
    convertTo: input.convertTo ?? 'both',
    faultType: input.faultType ?? 'both',
    memslots: input.memslots ?? 1,
    slotBase: input.slotBase ?? 0,
    slotGap: input.slotGap ?? 0,
    slotPgoff: input.slotPgoff ?? 0,
    slotMove: input.slotMove ?? 0,
    folioPages: input.folioPages ?? 2,
  };
  // Bounds also come from the command line (--bound): a misspelt or mistyped one must not be
  // silently ignored.
  for (const [name, value] of Object.entries(input)) {
    if (!(name in b))
      throw new RangeError(`gmemModel: there is no bound "${name}"; bounds are ${Object.keys(b).join(', ')}`);
    const choices = CHOICES[name];
    if (choices && !choices.includes(value)) {
      throw new RangeError(
        `gmemModel: bounds.${name} must be ${choices.length === 2 ? '' : 'one of '}${choices.map((c) => JSON.stringify(c)).join(choices.length === 2 ? ' or ' : ', ')}, got ${JSON.stringify(value)}`,
      );
    }
    if (name === 'ops' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw new RangeError(
        `gmemModel: bounds.ops is a count per operation (ops.fault=2), got ${JSON.stringify(value)}`,
      );
    }
    if (!choices && name !== 'ops' && typeof value !== 'number') {
      throw new RangeError(`gmemModel: bounds.${name} must be a number, got ${JSON.stringify(value)}`);
    }
  }
  for (const [name, n] of Object.entries(b)) {
    if (typeof n === 'number' && (!Number.isInteger(n) || n < 0)) {
      throw new RangeError(`gmemModel: bounds.${name} must be a non-negative integer, got ${n}`);
    }
  }
  for (const [op, n] of Object.entries(b.ops)) {
    if (!(OP_KINDS as readonly string[]).includes(op)) {
      throw new RangeError(`gmemModel: bounds.ops.${op} is not an operation; use one of ${OP_KINDS.join(', ')}`);
    }
    if (!Number.isInteger(n) || (n ?? 0) < 0)
      throw new RangeError(`gmemModel: bounds.ops.${op} must be a non-negative integer, got ${n}`);
  }
  if (b.pages < 1 || b.pages > 8) throw new RangeError(`gmemModel: bounds.pages must be 1..8, got ${b.pages}`);
  if (b.vms < 1 || b.vms > 3) throw new RangeError(`gmemModel: bounds.vms must be 1..3, got ${b.vms}`);
  if (b.inFlight < 1) throw new RangeError('gmemModel: bounds.inFlight must be at least 1');
  if (b.memslots < 1 || b.memslots > 3)
    throw new RangeError(`gmemModel: bounds.memslots must be 1..3, got ${b.memslots}`);
  // kernel/lpage-info.ts walks a 2M level of 2 pages inside a 1G level of 4 (the form before
  // 992b54bd083c); at folioPages 4 the model's one huge level is the 1G page itself.
  if (!design.lpageHeadInSlot && b.folioPages !== 2) {
    throw new RangeError(
      `gmemModel: bounds.folioPages must be 2 for a design with the lpage_info walk before 992b54bd083c (lpageHeadInSlot false), got ${b.folioPages}`,
    );
  }
  if (b.pages - b.slotPgoff < b.memslots) {
    throw new RangeError(
      `gmemModel: bounds.slotPgoff ${b.slotPgoff} leaves ${b.pages - b.slotPgoff} indices for ${b.memslots} memslots; lower slotPgoff or memslots, or raise pages`,
    );
  }
  return Object.freeze(b);
}

/**
 * The ranges [lo, hi) an operation may cover: of indices, or of gfns where `n` is the gfn count
 * (KVM_SET_MEMORY_ATTRIBUTES names gfns).
 */
export function rangesOf(b: Bounds, n = b.pages): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) out.push([i, i + 1]);
  if (b.ranges === 'all' && n > 1) out.push([0, n]);
  // 'pairs': [i, i + 2) from every gfn, so a range can straddle two huge chunks ([1, 3)).
  if (b.ranges === 'pairs') for (let i = 0; i + 2 <= n; i++) out.push([i, i + 2]);
  return out;
}

export function describeBounds(b: Bounds): string {
  const ops = Object.entries(b.ops)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([k, n]) => `${k}×${n}`)
    .join(', ');
  const huge = b.folioPages === 2 ? '' : `, ${b.folioPages}-page huge folios`;
  const slots =
    b.memslots > 1 || b.slotBase || b.slotGap || b.slotPgoff || b.slotMove
      ? `, ${b.memslots} memslot${b.memslots > 1 ? 's' : ''} per VM from gfn ${b.slotBase}${b.slotGap ? ` ${b.slotGap} apart` : ''}${b.slotPgoff ? ` binding from index ${b.slotPgoff}` : ''}${b.slotMove ? `, movable by ${b.slotMove} gfns` : ''}`
      : '';
  return (
    `${b.pages} pages${huge}${slots}, ${b.vms} VM${b.vms > 1 ? 's' : ''}, ${b.inFlight} operations in flight` +
    `${b.iommuDomains ? `, ${b.iommuDomains} IOMMU domain${b.iommuDomains > 1 ? 's' : ''}` : ''}; ops: ${ops}`
  );
}
