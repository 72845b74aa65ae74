/**
 * Bounds the object requests a deploy has in flight at once (`--concurrency`), counting each part
 * of a multipart upload: a single PUT holds one slot, a multipart upload holds as many as it
 * sends parts at once. Waiters are served in order, so a multipart upload is not starved.
 */
export class RequestSlots {
  private free: number;
  private readonly waiting: { readonly weight: number; readonly go: () => void }[] = [];

  constructor(readonly limit: number) {
    this.free = limit;
  }

  /** Runs `fn` holding `weight` slots (at most the limit). */
  async use<T>(weight: number, fn: () => Promise<T>): Promise<T> {
    const w = Math.max(1, Math.min(weight, this.limit));
    if (this.free >= w && this.waiting.length === 0) this.free -= w;
    else await new Promise<void>((go) => this.waiting.push({ weight: w, go }));
    try {
      return await fn();
    } finally {
      this.free += w;
      this.wake();
    }
  }

  private wake(): void {
    while (this.waiting.length > 0 && this.free >= this.waiting[0]!.weight) {
      const next = this.waiting.shift()!;
      this.free -= next.weight;
      next.go();
    }
  }
}
