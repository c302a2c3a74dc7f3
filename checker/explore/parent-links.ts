/**
 * Parent links at about 2 bytes per state, so a trace can be rebuilt by replay.
 *
 * Breadth-first search expands states in the order their ids were given, and gives a state's
 * new children consecutive ids. So a state's parent follows from how many new children each
 * earlier state had: one byte per expanded state, plus one byte for the index of the action
 * (in the parent's `actions()` order) that first reached the state. A checkpoint every 1024
 * expanded states (the id of its first child) makes finding a parent a short scan.
 * Values that do not fit a byte (255 and above) are kept in a side map.
 */

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const CHECKPOINT_BITS = 10;
const ESCAPE = 255;

/** A growable byte array in fixed chunks, so growing never copies and wastes at most one chunk. */
class ByteChunks {
  private chunks: Uint8Array[] = [];
  length = 0;

  push(value: number): void {
    const c = this.length >>> CHUNK_BITS;
    if (c === this.chunks.length) this.chunks.push(new Uint8Array(CHUNK));
    this.chunks[c][this.length & (CHUNK - 1)] = value;
    this.length++;
  }

  get(i: number): number {
    return this.chunks[i >>> CHUNK_BITS][i & (CHUNK - 1)];
  }

  get bytes(): number {
    return this.chunks.length * CHUNK;
  }
}

export class ParentLinks {
  private readonly actionIndex = new ByteChunks();
  private readonly childCount = new ByteChunks();
  private readonly wideActionIndex = new Map<number, number>();
  private readonly wideChildCount = new Map<number, number>();
  private checkpoints = new Uint32Array(1024);
  private initialCount = 0;
  /** The id the next new child of the state being expanded gets. */
  private nextChild = 0;

  /** Registers an initial state; returns its id. Initial states come before any expansion. */
  addInitial(): number {
    const id = this.actionIndex.length;
    this.actionIndex.push(0);
    this.initialCount = id + 1;
    this.nextChild = id + 1;
    return id;
  }

  /** Registers a new state reached by the parent being expanded through its action `index`. */
  addChild(index: number): number {
    const id = this.actionIndex.length;
    if (index >= ESCAPE) {
      this.actionIndex.push(ESCAPE);
      this.wideActionIndex.set(id, index);
    } else this.actionIndex.push(index);
    return id;
  }

  /** Records that state `parent` (the next in id order) was expanded with `children` new states. */
  expanded(parent: number, children: number): void {
    if ((parent & ((1 << CHECKPOINT_BITS) - 1)) === 0) {
      const k = parent >>> CHECKPOINT_BITS;
      if (k >= this.checkpoints.length) {
        const grown = new Uint32Array(this.checkpoints.length * 2);
        grown.set(this.checkpoints);
        this.checkpoints = grown;
      }
      this.checkpoints[k] = this.nextChild;
    }
    if (children >= ESCAPE) {
      this.childCount.push(ESCAPE);
      this.wideChildCount.set(parent, children);
    } else this.childCount.push(children);
    this.nextChild += children;
  }

  private children(parent: number): number {
    const c = this.childCount.get(parent);
    return c === ESCAPE ? this.wideChildCount.get(parent)! : c;
  }

  /** The parent's id, or -1 for an initial state. Only for states whose parent was fully expanded. */
  parentOf(id: number): number {
    if (id < this.initialCount) return -1;
    // The last checkpoint at or before id.
    let lo = 0,
      hi = (this.childCount.length - 1) >>> CHECKPOINT_BITS;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.checkpoints[mid] <= id) lo = mid;
      else hi = mid - 1;
    }
    let parent = lo << CHECKPOINT_BITS;
    let first = this.checkpoints[lo];
    for (;;) {
      const n = this.children(parent);
      if (id < first + n) return parent;
      first += n;
      parent++;
    }
  }

  actionIndexOf(id: number): number {
    const a = this.actionIndex.get(id);
    return a === ESCAPE ? this.wideActionIndex.get(id)! : a;
  }

  /** The action indices from an initial state to `id`, and that initial state's id. */
  pathTo(id: number): { initial: number; actions: number[] } {
    const actions: number[] = [];
    let at = id;
    while (at >= this.initialCount) {
      actions.push(this.actionIndexOf(at));
      at = this.parentOf(at);
    }
    return { initial: at, actions: actions.reverse() };
  }

  get bytes(): number {
    return this.actionIndex.bytes + this.childCount.bytes + this.checkpoints.byteLength;
  }
}
