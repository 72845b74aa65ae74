/**
 * Retries with exponential backoff and full jitter for the errors worth retrying: 5xx, throttling
 * (SlowDown) and network failures. Everything else (403, 404, 400) fails at once.
 */
import { httpStatus } from '../s3/errors';

const RETRYABLE_NAMES = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'RequestTimeout', 'RequestTimeoutException', 'InternalError', 'ServiceUnavailable', 'TimeoutError', 'RequestTimeTooSkewed']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'UND_ERR_SOCKET']);

export function isRetryable(err: unknown): boolean {
  const e = err as { name?: string; code?: string; message?: string; $retryable?: unknown };
  if (!e || typeof e !== 'object') return false;
  const status = httpStatus(err);
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (e.name && RETRYABLE_NAMES.has(e.name)) return true;
  if (e.code && NETWORK_CODES.has(e.code)) return true;
  if (e.$retryable) return true;
  return /socket hang up|ECONNRESET|EPIPE|network|aborted|premature close/i.test(e.message ?? '');
}

export interface RetryOptions {
  readonly attempts: number;
  /** First backoff ceiling in ms. @default 100 */
  readonly baseMs?: number;
  /** @default 5000 */
  readonly maxMs?: number;
  readonly onRetry?: (err: unknown, attempt: number) => void;
  /** Once aborted, a failure is not retried. */
  readonly signal?: AbortSignal;
}

export async function withRetry<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const base = options.baseMs ?? 100;
  const max = options.maxMs ?? 5000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= options.attempts || options.signal?.aborted || !isRetryable(err)) throw err;
      options.onRetry?.(err, attempt);
      const ceiling = Math.min(max, base * 2 ** (attempt - 1));
      await new Promise((r) => setTimeout(r, Math.random() * ceiling));
    }
  }
}
