/**
 * Runs a command action and turns errors into a message and an exit code: edgelock's own errors
 * print their message only (no stack); anything else is a bug and says so.
 */
import { EdgelockError } from '../errors';

export function fail(err: unknown): number {
  if (err instanceof EdgelockError) {
    process.stderr.write(`edgelock: ${err.message}\n`);
    return err.exitCode;
  }
  const e = err as Error;
  process.stderr.write(`edgelock: unexpected error: ${e?.message ?? String(err)}\n`);
  if (process.env.EDGELOCK_DEBUG) process.stderr.write(`${e?.stack ?? ''}\n`);
  return 1;
}

/** Wraps an async command action so that its failure sets the exit code. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      process.exitCode = fail(err);
    }
  };
}
