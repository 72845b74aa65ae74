/**
 * Runs a command action and turns errors into a message and an exit code: edgelock's own errors
 * print their message only (no stack); anything else is a bug and says so. Output goes through a
 * `CliIo`, the process's streams when run as `edgelock`, buffers when a test runs the program.
 */
import { EdgelockError } from '../errors';

/** Where the program writes: standard output and standard error. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** The process's own streams. */
export const PROCESS_IO: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

/** Prints why `err` stopped the command and returns the exit code. */
export function fail(err: unknown, io: CliIo = PROCESS_IO): number {
  if (err instanceof EdgelockError) {
    io.stderr(`edgelock: ${err.message}\n`);
    return err.exitCode;
  }
  const e = err as Error;
  io.stderr(`edgelock: unexpected error: ${e?.message ?? String(err)}\n`);
  if (process.env.EDGELOCK_DEBUG) io.stderr(`${e?.stack ?? ''}\n`);
  return 1;
}

/** One run of the program: where its output goes, and the exit code its command ends with. */
export class CliRun {
  exitCode = 0;
  constructor(readonly io: CliIo = PROCESS_IO) {}

  /**
   * Wraps a command action: a number it returns is the exit code; a failure prints its message
   * and sets the exit code.
   */
  action<A extends unknown[]>(fn: (...args: A) => Promise<number | void> | number | void): (...args: A) => Promise<void> {
    return async (...args: A) => {
      try {
        const code = await fn(...args);
        if (typeof code === 'number') this.exitCode = code;
      } catch (err) {
        this.exitCode = fail(err, this.io);
      }
    };
  }
}
