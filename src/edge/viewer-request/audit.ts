/**
 * The audit trail of viewer-request: one JSON line per verification (a bcrypt check, or a refusal
 * before one), and at most one line a minute per instance counting the requests each user made
 * on verified-cache hits. Never the password, the header value or a digest of either.
 * Lambda@Edge writes these to CloudWatch Logs as /aws/lambda/us-east-1.<function> in the region of
 * the edge location that served the request (docs/edge.md has the Logs Insights queries).
 */

export type AuthOutcome = 'ok' | 'wrong-password' | 'unknown-user' | 'malformed' | 'rate-limited';

export interface AuthEvent {
  readonly outcome: AuthOutcome;
  /** The user name as sent (absent when the header could not be read). */
  readonly user?: string;
  readonly clientIp: string;
  readonly path: string;
  readonly requestId: string;
  /** A failure answered from the failure cache (no bcrypt check this time). */
  readonly repeat?: boolean;
}

/** Longest user name or path written to the log; longer ones are cut and marked. */
const MAX_FIELD = 256;
const SUMMARY_INTERVAL_MS = 60_000;

function cut(value: string): string {
  return value.length > MAX_FIELD ? `${value.slice(0, MAX_FIELD)}…` : value;
}

export interface AuditLog {
  /** Writes one line for a verification. */
  verification(event: AuthEvent, now: number): void;
  /** Counts a request answered from the verified cache; writes the counts once a minute. */
  cacheHit(user: string, now: number): void;
}

export function createAuditLog(label: { readonly project: string; readonly environment: string }, write: (line: string) => void = (line) => console.log(line)): AuditLog {
  let hits = new Map<string, number>();
  let since: number | undefined;
  const flush = (now: number): void => {
    if (since === undefined || now - since < SUMMARY_INTERVAL_MS) return;
    write(JSON.stringify({ level: 'info', msg: 'edgelock auth cache hits', ...label, since: new Date(since).toISOString(), until: new Date(now).toISOString(), hits: Object.fromEntries(hits) }));
    hits = new Map();
    since = undefined;
  };
  return {
    verification(event, now) {
      flush(now);
      write(
        JSON.stringify({
          level: event.outcome === 'ok' ? 'info' : 'warn',
          msg: 'edgelock auth',
          ...label,
          outcome: event.outcome,
          ...(event.user !== undefined ? { user: cut(event.user) } : {}),
          clientIp: event.clientIp,
          path: cut(event.path),
          requestId: event.requestId,
          ...(event.repeat ? { repeat: true } : {}),
        }),
      );
    },
    cacheHit(user, now) {
      flush(now);
      since ??= now;
      hits.set(user, (hits.get(user) ?? 0) + 1);
    },
  };
}
