import { UsageError } from '../../errors';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since`: an ISO 8601 date or time (UTC unless it says otherwise), or a duration back from now: 30m, 12h, 7d. */
export function parseSince(value: string, now = Date.now()): number {
  const rel = /^(\d+)([mhd])$/.exec(value);
  if (rel) return now - +rel[1]! * UNITS[rel[2]!]!;
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    const iso = value.replace(' ', 'T');
    const t = Date.parse(/T/.test(iso) && !/(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? `${iso}Z` : iso);
    if (Number.isFinite(t)) return t;
  }
  throw new UsageError(`--since "${value}" is not a time: give an ISO date or time such as 2019-06-30 or 2019-06-30T16:50:00Z, or a duration back from now such as 30m, 12h or 7d`);
}
