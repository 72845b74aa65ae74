/**
 * What a deploy may delete: a pure decision over the keys under the deploy prefix that the site no
 * longer has. A key is deleted only when the last deploy record lists it and the bucket still
 * holds the ETag edgelock wrote; with `--adopt` (the bucket is the site's alone) every such key
 * is. Everything else is kept, with its reason. `deploy.maxDeletes` caps the count.
 */
import type { RemoteObject } from './changes';
import { patternMatcher } from './patterns';
import type { RecordedObject } from './record';

export interface KeptKey {
  readonly key: string;
  readonly reason: string;
}

export interface PruneRules {
  /** Pruning is on (not --no-prune). */
  readonly prune: boolean;
  /** --adopt: delete any key under the prefix the site no longer has. */
  readonly adopt: boolean;
  /** deploy.exclude: protected from deletion (matched against the key under the prefix). */
  readonly exclude: readonly string[];
  readonly prefix: string;
  /** A count, or "N%" of the keys edgelock manages. */
  readonly maxDeletes: number | string;
  /** --allow-deletes */
  readonly allowDeletes: boolean;
  /**
   * Keys the new site's documents still reference though the site no longer has them (a
   * deploy.preflight.ignore pattern let the reference through, or an unchecked link), and where:
   * never deleted while the live HTML references them.
   */
  readonly referenced?: ReadonlyMap<string, string>;
}

export interface PruneDecision {
  readonly delete: readonly string[];
  readonly kept: readonly KeptKey[];
  /** Keys edgelock wrote that stay in the bucket (kept by --no-prune or deploy.exclude): the next record carries them. */
  readonly retained: readonly RecordedObject[];
  /** The deletes exceed deploy.maxDeletes: the message to refuse with. */
  readonly tooMany?: string;
}

export const NOT_WRITTEN = 'not written by edgelock';

/** The most keys one deploy may delete, out of `managed`. */
export function deleteLimit(maxDeletes: number | string, managed: number): number {
  if (typeof maxDeletes === 'number') return maxDeletes;
  return Math.floor((Number(maxDeletes.slice(0, -1)) / 100) * managed);
}

/**
 * @param gone keys under the prefix in the bucket that the site does not have
 * @param written what the last record says edgelock wrote (empty without one)
 * @param hasRecord whether there is a trusted record at all
 * @param listedCount how many keys the bucket holds under the prefix
 */
export function decidePrune(gone: readonly RemoteObject[], written: ReadonlyMap<string, RecordedObject>, hasRecord: boolean, listedCount: number, rules: PruneRules): PruneDecision {
  const excluded = patternMatcher(rules.exclude);
  const toDelete: string[] = [];
  const kept: KeptKey[] = [];
  const retained: RecordedObject[] = [];
  for (const r of gone) {
    const ours = written.get(r.key);
    const intact = ours !== undefined && ours.etag === r.etag;
    if (excluded(r.key.slice(rules.prefix.length))) {
      kept.push({ key: r.key, reason: 'protected by deploy.exclude' });
      if (intact) retained.push(ours);
    } else if (!rules.prune) {
      kept.push({ key: r.key, reason: '--no-prune' });
      if (intact) retained.push(ours);
    } else if ((rules.adopt || intact) && rules.referenced?.has(r.key)) {
      kept.push({ key: r.key, reason: `still referenced by ${rules.referenced.get(r.key)!} (the new site links it but no longer has it)` });
      if (intact) retained.push(ours);
    } else if (rules.adopt || intact) toDelete.push(r.key);
    else if (!hasRecord) kept.push({ key: r.key, reason: `${NOT_WRITTEN}: the bucket has no deploy record yet (pass --adopt to declare the bucket the site's alone)` });
    else if (ours) kept.push({ key: r.key, reason: `${NOT_WRITTEN}: changed since edgelock wrote it (ETag ${r.etag}, recorded ${ours.etag})` });
    else kept.push({ key: r.key, reason: NOT_WRITTEN });
  }
  // A percentage is of the keys edgelock manages: those the last record lists, or with --adopt every key under the prefix.
  const managed = rules.adopt ? Math.max(written.size, listedCount) : written.size;
  const limit = deleteLimit(rules.maxDeletes, managed);
  const tooMany =
    toDelete.length > limit && !rules.allowDeletes
      ? `this deploy would delete ${toDelete.length} key(s), more than deploy.maxDeletes (${String(rules.maxDeletes)}${typeof rules.maxDeletes === 'string' ? ` of ${managed} = ${limit}` : ''}), e.g. ${toDelete.slice(0, 3).join(', ')}. Nothing was written. ` +
        'Check the site folder is the whole site; to delete them anyway pass --allow-deletes (or raise deploy.maxDeletes); to keep them pass --no-prune.'
      : undefined;
  return { delete: toDelete, kept, retained, ...(tooMany ? { tooMany } : {}) };
}
