/**
 * The graph of a breadth-first run, kept while the model has `eventually` properties, so that
 * their verdicts come from the search already made instead of a second one (eventually.ts).
 *
 * States are numbered as the main search numbers them (in the order they were first seen).
 * Per state: its fingerprint, which `eventually` predicates hold there (one bit each), and its
 * outgoing edges (target state, action index), stored contiguously because states are
 * expanded in number order. A fingerprint -> number table (open addressing, typed arrays)
 * finds the target of an edge to a state seen before.
 *
 * It costs about 30 bytes per state and 8 per transition, on top of the seen-set; past
 * `limit` states (or 16 transitions per state of it) it gives up (`dropped`), and eventually.ts
 * explores the region itself.
 */
/** At most this many predicates get a bit each; more, and eventually.ts explores instead. */
export const MAX_PREDICATES = 31;
const NONE = -1;
/** An edge's target when the edge met a state seen before (addEdge, GraphSink.addEdge). */
export const NOT_NEW = -1;
/** The edge budget, per state of the limit. */
const EDGES_PER_STATE = 16;

export class StateGraph {
  size = 0;
  edgeCount = 0;
  /** Set when the graph outgrew its limit: nothing in it can be used. */
  dropped = false;

  // By state number.
  hi = new Uint32Array(1024);
  lo = new Uint32Array(1024);
  /** Bit k: predicate k holds in the state. */
  goals = new Uint32Array(1024);
  /** Edges [edgeStart, edgeEnd) of an expanded state; edgeStart = NONE: never expanded. */
  edgeStart = new Int32Array(1024).fill(NONE);
  edgeEnd = new Int32Array(1024);

  // By edge.
  targets = new Int32Array(4096);
  actions = new Int32Array(4096);

  /** The state being expanded. */
  private expanding = 0;

  // Fingerprint -> state number, linear probing; a slot holds number + 1 (0: empty).
  private slots = new Int32Array(2048);
  private mask = 2047;

  constructor(private readonly limit: number) {}

  /**
   * Records a new state, numbered `n` (states come in number order: n is `size`); `goals` has
   * bit k set where predicate k holds.
   */
  addState(n: number, hi: number, lo: number, goals: number): void {
    if (this.dropped) return;
    if (n >= this.limit) {
      this.drop();
      return;
    }
    if (n === this.hi.length) this.growStates();
    this.hi[n] = hi >>> 0;
    this.lo[n] = lo >>> 0;
    this.goals[n] = goals;
    this.size++;
    if (2 * this.size > this.slots.length)
      this.growSlots(); // places n with the others
    else this.place(n);
  }

  /** State `n` is being expanded: the edges recorded until the next expansion are its own. */
  beginExpansion(n: number): void {
    if (this.dropped) return;
    this.expanding = n;
    this.edgeStart[n] = this.edgeCount;
    this.edgeEnd[n] = this.edgeCount;
  }

  /**
   * An edge of the state being expanded, to the (already recorded) state of this fingerprint;
   * `target`, when not NOT_NEW, is that state's number (the main search's reference of a state
   * the edge found new), which spares the lookup.
   */
  addEdge(hi: number, lo: number, action: number, target = NOT_NEW): void {
    if (this.dropped) return;
    if (this.edgeCount >= EDGES_PER_STATE * this.limit) {
      this.drop();
      return;
    }
    const e = this.edgeCount++;
    if (e === this.targets.length) {
      this.targets = grown(this.targets, 2 * e);
      this.actions = grown(this.actions, 2 * e);
    }
    this.targets[e] = target === NOT_NEW ? this.numberOf(hi, lo) : target;
    this.actions[e] = action;
    this.edgeEnd[this.expanding] = this.edgeCount;
  }

  expanded(n: number): boolean {
    return this.edgeStart[n] !== NONE;
  }

  get bytes(): number {
    const perState =
      this.hi.byteLength +
      this.lo.byteLength +
      this.goals.byteLength +
      this.edgeStart.byteLength +
      this.edgeEnd.byteLength;
    return perState + this.targets.byteLength + this.actions.byteLength + this.slots.byteLength;
  }

  /** The number of the recorded state with this fingerprint. */
  numberOf(hi: number, lo: number): number {
    hi >>>= 0;
    lo >>>= 0;
    for (let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask; ; i = (i + 1) & this.mask) {
      const at = this.slots[i] - 1;
      if (at === NONE) throw new Error('StateGraph: an edge to a state that was never recorded');
      if (this.hi[at] === hi && this.lo[at] === lo) return at;
    }
  }

  private place(n: number): void {
    const hi = this.hi[n],
      lo = this.lo[n];
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    while (this.slots[i] !== 0) i = (i + 1) & this.mask;
    this.slots[i] = n + 1;
  }

  private growStates(): void {
    const n = 2 * this.hi.length;
    this.hi = grown(this.hi, n);
    this.lo = grown(this.lo, n);
    this.goals = grown(this.goals, n);
    const start = new Int32Array(n).fill(NONE);
    start.set(this.edgeStart);
    this.edgeStart = start;
    this.edgeEnd = grown(this.edgeEnd, n);
  }

  private growSlots(): void {
    this.slots = new Int32Array(2 * this.slots.length);
    this.mask = this.slots.length - 1;
    for (let n = 0; n < this.size; n++) this.place(n);
  }

  private drop(): void {
    this.dropped = true;
    this.hi = this.lo = this.goals = new Uint32Array(0);
    this.edgeStart = this.edgeEnd = this.targets = this.actions = this.slots = new Int32Array(0);
  }
}

/** A copy of `a` in an array of `length` elements of its type. */
export function grown<T extends Uint32Array | Int32Array>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  return b;
}
