/**
 * The seen-set: a set of 64-bit fingerprints in one flat Uint32Array (hi, lo interleaved).
 *
 * Ordered linear probing (Amble and Knuth's "ordered hash table"): a fingerprint's home slot is
 * its high word scaled to the capacity (`hi * capacity / 2^32`), which is monotone in the
 * fingerprint, and every run of occupied slots is kept sorted. A lookup stops at the first
 * larger fingerprint instead of at the next empty slot, so an absent fingerprint costs about as
 * little as a present one even at a high load factor; that load factor is what keeps the table
 * near 8 bytes per state. Homes being monotone also makes a rehash a single in-order pass.
 *
 * There is no wrap-around: runs that pass the last home slot spill into a small overflow tail;
 * a run that would leave the tail makes the table grow.
 *
 * Fingerprint (0, 0) marks an empty slot; the hasher never produces it.
 */

const OVERFLOW = 1024;
/** Entries of the cache of recent fingerprints (256 KiB). */
const RECENT = 1 << 15;
/** Grow past this load; 0.85 / GROWTH keeps the load after a rehash above 0.58. */
const MAX_LOAD = 0.85;
const GROWTH = 1.45;

export class FingerprintSet {
  /**
   * The fingerprints met last, one per value of their low bits, every one of them in the set.
   * Most duplicates are met again soon after (a diamond closes a few siblings later), and this
   * small table stays in cache where the big one does not.
   */
  private readonly recent = new Uint32Array(2 * RECENT);
  private slots: Uint32Array;
  private capacity: number;
  private scale: number;
  size = 0;

  constructor(initialCapacity = 1 << 12) {
    this.capacity = initialCapacity;
    this.scale = initialCapacity / 4294967296;
    this.slots = new Uint32Array(2 * (initialCapacity + OVERFLOW));
  }

  /** Bytes held by the table and its cache of recent fingerprints. */
  get bytes(): number {
    return this.slots.byteLength + this.recent.byteLength;
  }

  /** Adds the fingerprint; true when it was not there before. */
  add(hi: number, lo: number): boolean {
    hi >>>= 0;
    lo >>>= 0;
    const recent = this.recent;
    const r = 2 * (lo & (RECENT - 1));
    if (recent[r] === hi && recent[r + 1] === lo) return false;
    const slots = this.slots;
    let i = Math.floor(hi * this.scale);
    // Skip the smaller fingerprints of the run.
    for (;;) {
      const h = slots[2 * i],
        l = slots[2 * i + 1];
      if (h === 0 && l === 0) break;
      if (h > hi || (h === hi && l >= lo)) {
        if (h === hi && l === lo) {
          recent[r] = hi;
          recent[r + 1] = lo;
          return false;
        }
        break;
      }
      i++;
    }
    // Insert at i: shift the rest of the run right by one slot.
    let end = i;
    while (slots[2 * end] !== 0 || slots[2 * end + 1] !== 0) end++;
    if (end >= this.capacity + OVERFLOW - 1) {
      this.grow();
      return this.add(hi, lo);
    }
    // Short shifts by hand: copyWithin's call costs more than moving a few slots.
    if (end - i > 8) slots.copyWithin(2 * i + 2, 2 * i, 2 * end);
    else for (let j = 2 * end + 1; j > 2 * i + 1; j--) slots[j] = slots[j - 2];
    slots[2 * i] = hi;
    slots[2 * i + 1] = lo;
    recent[r] = hi;
    recent[r + 1] = lo;
    this.size++;
    if (this.size > this.capacity * MAX_LOAD) this.grow();
    return true;
  }

  private grow(): void {
    const old = this.slots;
    const oldEnd = old.length >>> 1;
    let capacity = Math.ceil(this.capacity * GROWTH);
    for (;;) {
      const slots = this.rehash(old, oldEnd, capacity);
      if (slots) {
        this.slots = slots;
        this.capacity = capacity;
        this.scale = capacity / 4294967296;
        return;
      }
      // A run reached the end of the overflow tail (never seen with real hashes): larger still.
      capacity = Math.ceil(capacity * GROWTH);
    }
  }

  /** Old slots are in fingerprint order: each goes to max(its home, the previous one's slot + 1). */
  private rehash(old: Uint32Array, oldEnd: number, capacity: number): Uint32Array | undefined {
    const scale = capacity / 4294967296;
    const last = capacity + OVERFLOW - 1;
    const slots = new Uint32Array(2 * (capacity + OVERFLOW));
    let next = 0;
    for (let j = 0; j < oldEnd; j++) {
      const h = old[2 * j],
        l = old[2 * j + 1];
      if (h === 0 && l === 0) continue;
      const home = Math.floor(h * scale);
      const at = home > next ? home : next;
      if (at >= last) return undefined;
      slots[2 * at] = h;
      slots[2 * at + 1] = l;
      next = at + 1;
    }
    return slots;
  }
}
