/**
 * `edgelock dev --record DIR`: one JSON file per function invocation of the local edge (the event
 * it got, what it returned, the trigger, when), so real request shapes can be replayed in unit
 * tests with edgelock/testing. File names sort in the order the invocations happened.
 *
 * Credentials never reach the files: every Authorization and Proxy-Authorization header value,
 * in the event and in the result, keeps its scheme and has its credentials replaced by
 * {@link REDACTED}.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CfEvent, EdgeEventType, LambdaEdgeProblem } from '../edge/cloudfront';
import { EdgelockError } from '../errors';
import type { InvokeOutcome } from './runner';

/** What stands in for recorded credentials. */
export const REDACTED = 'REDACTED-by-edgelock-dev-record';

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization']);

/** One invocation, as the local edge saw it. */
export interface TriggerRecord {
  readonly trigger: EdgeEventType;
  readonly event: unknown;
  readonly outcome: InvokeOutcome;
  /** The rules the result broke (the viewer got a 502), if any. */
  readonly problems: readonly LambdaEdgeProblem[];
}

/** What a recording file holds. */
export interface RecordedInvocation {
  readonly trigger: EdgeEventType;
  /** ISO 8601. */
  readonly timestamp: string;
  readonly requestId: string | null;
  readonly event: CfEvent;
  /** The handler's result (null when it threw, crashed or timed out). */
  readonly result: unknown;
  readonly failure: { readonly kind: string; readonly message: string } | null;
  readonly problems: readonly LambdaEdgeProblem[];
  /** JSON paths whose values were replaced by the placeholder. */
  readonly redacted: readonly string[];
}

function redactValue(value: string): string {
  const space = value.indexOf(' ');
  return space > 0 ? `${value.slice(0, space)} ${REDACTED}` : REDACTED;
}

/** A deep copy of `value` with every Authorization header value replaced; `paths` lists where. */
export function redactCredentials<T>(value: T, at = '$', paths: string[] = []): T {
  if (Array.isArray(value)) return value.map((v, i) => redactCredentials(v, `${at}[${i}]`, paths)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'headers' && typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const headers: Record<string, unknown> = {};
      for (const [name, list] of Object.entries(v as Record<string, unknown>)) {
        if (SECRET_HEADERS.has(name.toLowerCase()) && Array.isArray(list)) {
          headers[name] = list.map((h: unknown, i) => {
            paths.push(`${at}.headers.${name}[${i}].value`);
            const header = (typeof h === 'object' && h !== null ? h : {}) as { key?: string; value?: unknown };
            return { ...header, value: redactValue(typeof header.value === 'string' ? header.value : '') };
          });
        } else {
          headers[name] = redactCredentials(list, `${at}.headers.${name}`, paths);
        }
      }
      out[k] = headers;
    } else {
      out[k] = redactCredentials(v, `${at}.${k}`, paths);
    }
  }
  return out as T;
}

export interface Recorder {
  readonly dir: string;
  /** Files written so far. */
  readonly count: number;
  record(entry: TriggerRecord): void;
}

/** Writes into `dir` (created if needed). `now` is for tests. */
export function createRecorder(dir: string, log?: (line: string) => void, now: () => Date = () => new Date()): Recorder {
  const abs = path.resolve(dir);
  try {
    mkdirSync(abs, { recursive: true });
  } catch (err) {
    throw new EdgelockError(`--record ${dir}: cannot create the folder (${(err as Error).message})`, { code: 'DEV_START_FAILED', cause: err });
  }
  let seq = 0;
  let failed = false;
  return {
    dir: abs,
    get count() {
      return seq;
    },
    record(entry) {
      const time = now();
      const paths: string[] = [];
      const event = redactCredentials(entry.event, '$.event', paths) as CfEvent;
      const result = entry.outcome.ok ? redactCredentials(entry.outcome.result, '$.result', paths) : null;
      const file: RecordedInvocation = {
        trigger: entry.trigger,
        timestamp: time.toISOString(),
        requestId: event?.Records?.[0]?.cf?.config?.requestId ?? null,
        event,
        result: result ?? null,
        failure: entry.outcome.ok ? null : { kind: entry.outcome.failure, message: entry.outcome.message },
        problems: entry.problems,
        redacted: paths,
      };
      seq += 1;
      const name = `${time.toISOString().replace(/:/g, '-')}-${String(seq).padStart(6, '0')}-${entry.trigger}.json`;
      try {
        writeFileSync(path.join(abs, name), `${JSON.stringify(file, null, 2)}\n`);
      } catch (err) {
        if (!failed) log?.(`record: cannot write into ${abs}: ${(err as Error).message}`);
        failed = true;
      }
    },
  };
}
