/**
 * A counter with a bounded number of distinct values, so that summarising a log of any size takes
 * constant memory. When it is full, the less frequent half is folded into `other` (lossy
 * counting): the most frequent values keep exact counts unless they first appear after the
 * table has been pruned many times.
 */

/** Distinct values kept per table before pruning. */
export const DEFAULT_MAX_DISTINCT = 10_000;

export class BoundedCounter {
  private readonly counts = new Map<string, number>();
  /** Occurrences folded away by pruning. */
  other = 0;
  /** Whether pruning has happened: counts below the top are then approximate. */
  pruned = false;
  total = 0;

  constructor(private readonly maxDistinct = DEFAULT_MAX_DISTINCT) {}

  add(value: string, n = 1): void {
    this.total += n;
    const c = this.counts.get(value);
    if (c !== undefined) {
      this.counts.set(value, c + n);
      return;
    }
    if (this.counts.size >= this.maxDistinct) this.prune();
    this.counts.set(ownCopy(value), n);
  }

  private prune(): void {
    const sorted = [...this.counts.values()].sort((a, b) => b - a);
    const threshold = sorted[Math.floor(sorted.length / 2)]!;
    for (const [k, c] of this.counts) {
      if (c <= threshold) {
        this.other += c;
        this.counts.delete(k);
      }
    }
    this.pruned = true;
  }

  /** The `n` most frequent values, most frequent first (ties by value). */
  top(n: number): [string, number][] {
    return [...this.counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n);
  }

  get distinct(): number {
    return this.counts.size;
  }

  toJSON(n = 20): { total: number; top: { value: string; count: number }[]; other: number; approximate: boolean } {
    const top = this.top(n);
    const shown = top.reduce((s, [, c]) => s + c, 0);
    return { total: this.total, top: top.map(([value, count]) => ({ value, count })), other: this.total - shown, approximate: this.pruned };
  }
}

/**
 * A string that does not share memory with the line it was cut from: V8 slices keep their parent
 * (a whole chunk of the log) alive, which would make memory grow with the file.
 */
function ownCopy(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}
