/**
 * The seen-set shared by parallel workers: 64-bit fingerprints in a SharedArrayBuffer, linear
 * probing, lock-free.
 *
 * A slot is claimed by a compare-and-swap of its high word from 0; the claimer then stores the
 * low word. A reader that finds a claimed slot with its low word still 0 waits for the store, so
 * two workers inserting the same fingerprint agree on who inserted it. Neither word of a stored
 * fingerprint is ever 0 (the hasher's output is nudged), so 0 means "empty" / "not yet stored".
 *
 * The table does not grow while workers expand states: the coordinator sizes it between BFS
 * levels for the worst case of the next level (see parallel.ts), and the workers rehash it
 * there, each a slice of the old table (copyFrom).
 */

export class SharedFingerprintTable {
  readonly words: Int32Array;
  private readonly mask: number;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer);
    this.mask = (this.words.length >>> 1) - 1;
  }

  static create(slots: number): SharedFingerprintTable {
    let capacity = 1024;
    while (capacity < slots) capacity *= 2;
    return new SharedFingerprintTable(new SharedArrayBuffer(capacity * 8));
  }

  get capacity(): number {
    return this.mask + 1;
  }

  /** True when this call inserted the fingerprint. */
  add(hi: number, lo: number): boolean {
    hi = hi | 0 || 1;
    lo = lo | 0 || 1;
    const words = this.words;
    let i = lo & this.mask;
    for (;;) {
      // A plain read is enough to skip occupied slots: a slot only ever goes from 0 to its
      // final value, and an empty-looking slot is claimed with a compare-and-swap.
      let h = words[2 * i];
      if (h === 0) {
        h = Atomics.compareExchange(words, 2 * i, 0, hi);
        if (h === 0) {
          Atomics.store(words, 2 * i + 1, lo);
          return true;
        }
      }
      if (h === hi) {
        let l = words[2 * i + 1];
        while (l === 0) l = Atomics.load(words, 2 * i + 1);
        if (l === lo) return false;
      }
      i = (i + 1) & this.mask;
    }
  }

  /**
   * Copies slots [from, to) of `old` into this table. Workers each copy a slice when the table
   * grows, at once: inserts are lock-free, so the slices need no other coordination.
   */
  copyFrom(old: SharedFingerprintTable, from: number, to: number): void {
    const words = old.words;
    for (let i = 2 * from; i < 2 * to; i += 2) if (words[i] !== 0) this.add(words[i], words[i + 1]);
  }
}
