/**
 * What the commands that write to a bucket (`deploy`, `rollback`) share: their options about
 * requests, credentials and verification, checked the same way, and the progress bar they draw on
 * a terminal.
 */
import type { Command } from 'commander';
import type { SingleBar } from 'cli-progress';
import { UsageError } from '../../errors';

/** The shared flags as commander hands them over. */
export interface WriteFlags {
  concurrency?: string;
  allowDeletes?: boolean;
  endpoint?: string;
  roleArn?: string;
  probeCredentials?: string;
  verify: boolean;
}

/** The shared flags, checked, as the library's options take them. */
export interface WriteOptions {
  readonly allowDeletes: boolean;
  readonly verify: boolean;
  readonly concurrency?: number;
  readonly endpoint?: string;
  readonly roleArn?: string;
  readonly probeCredentials?: string;
}

/** Adds the shared options to a command, after its own. */
export function addWriteOptions(command: Command): Command {
  return command
    .option('--concurrency <n>', 'requests in flight at once, multipart parts included (default: deploy.concurrency, 16)')
    .option('--allow-deletes', 'delete more keys than deploy.maxDeletes allows')
    .option('--endpoint <url>', 'any S3 endpoint, e.g. http://127.0.0.1:4568 (path-style; no CloudFront)')
    .option('--role-arn <arn>', 'assume this role first (the environment account\'s deploy role)')
    .option('--probe-credentials <user:password>', 'Basic auth credentials for the probe (default: $EDGELOCK_PROBE_CREDENTIALS or deploy.verify.probeCredentialsEnv)')
    .option('--no-verify', 'skip the ownership check and the probe');
}

/** Checks the shared flags; a bad one is a usage error that names it and what it takes. */
export function writeOptions(flags: WriteFlags): WriteOptions {
  const concurrency = flags.concurrency === undefined ? undefined : Number(flags.concurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256)) {
    throw new UsageError(`--concurrency must be a whole number from 1 to 256 (got "${flags.concurrency}")`);
  }
  if (flags.endpoint && !/^https?:\/\/[^/]+\/?$/.test(flags.endpoint)) {
    throw new UsageError(`--endpoint must be a base URL such as http://127.0.0.1:4568 (got "${flags.endpoint}")`);
  }
  if (flags.probeCredentials !== undefined && !/^[^:]+:.+$/.test(flags.probeCredentials)) {
    throw new UsageError('--probe-credentials must be "user:password"');
  }
  return {
    allowDeletes: flags.allowDeletes ?? false,
    verify: flags.verify,
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(flags.endpoint ? { endpoint: flags.endpoint } : {}),
    ...(flags.roleArn ? { roleArn: flags.roleArn } : {}),
    ...(flags.probeCredentials ? { probeCredentials: flags.probeCredentials } : {}),
  };
}

/** The events both commands report; others (a deploy's per-request events) are ignored here. */
export type ProgressEvent =
  | { readonly type: 'phase'; readonly phase: string; readonly total: number }
  | { readonly type: 'progress'; readonly done: number }
  | { readonly type: 'warning'; readonly message: string }
  | { readonly type: 'request' };

/**
 * A progress bar per phase on a TTY (stderr), labelled from `labels` (a phase without a label has
 * none); nothing otherwise. Warnings always go to `warn`.
 */
export function progressReporter(labels: Readonly<Record<string, string>>, tty: boolean, warn: (text: string) => void): { onEvent: (e: ProgressEvent) => void; stop: () => void } {
  let bar: SingleBar | undefined;
  const stop = (): void => {
    bar?.stop();
    bar = undefined;
  };
  return {
    stop,
    onEvent(e) {
      if (e.type === 'warning') {
        stop();
        warn(`warning: ${e.message}\n`);
      } else if (tty && e.type === 'phase' && labels[e.phase] && e.total > 0) {
        stop();
        // cli-progress loads only when a bar is drawn (a TTY), not for --json or a pipe.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { SingleBar: Bar } = require('cli-progress') as typeof import('cli-progress');
        bar = new Bar({ format: `${labels[e.phase]!.padEnd(16)} [{bar}] {value}/{total}`, stream: process.stderr, hideCursor: true, clearOnComplete: true });
        bar.start(e.total, 0);
      } else if (e.type === 'progress') {
        bar?.update(e.done);
      }
    },
  };
}
