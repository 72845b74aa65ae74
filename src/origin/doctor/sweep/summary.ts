/**
 * The sweep's tally: per cause (or undecided aspect), how many objects and the first few keys. Its
 * size depends on the number of distinct causes, never on the number of objects.
 */
import type { Finding, SweepGroup } from './types';

/** Example keys kept per cause. @default 5 */
export const EXAMPLES_PER_GROUP = 5;

interface MutableGroup {
  kind: 'problem' | 'unknown';
  code: string;
  detail: string;
  fix: string;
  count: number;
  examples: string[];
}

export class SweepTally {
  objects = 0;
  withProblems = 0;
  undecided = 0;
  private readonly groups = new Map<string, MutableGroup>();

  constructor(private readonly examplesPerGroup = EXAMPLES_PER_GROUP) {}

  add(key: string, findings: readonly Finding[]): void {
    this.objects++;
    const problems = findings.some((f) => f.kind === 'problem');
    if (problems) this.withProblems++;
    else if (findings.length) this.undecided++;
    for (const f of findings) {
      const id = `${f.kind}\u0000${f.group}`;
      let g = this.groups.get(id);
      if (!g) {
        g = { kind: f.kind, code: f.kind === 'problem' ? f.cause : f.aspect, detail: f.detail, fix: f.fix, count: 0, examples: [] };
        this.groups.set(id, g);
      }
      g.count++;
      if (g.examples.length < this.examplesPerGroup) g.examples.push(key);
    }
  }

  /** Problems first, then unknowns; within each, most objects first. */
  result(): SweepGroup[] {
    return [...this.groups.values()].sort((a, b) => (a.kind === b.kind ? b.count - a.count : a.kind === 'problem' ? -1 : 1)).map((g) => ({ ...g, examples: [...g.examples] }));
  }
}
