/**
 * The one CLI runner for tests, in three ways:
 *
 *   runInProcess(args)   the commander program in this process (src/cli), output captured, no
 *                        process.exit: for usage errors and anything that does not need a process.
 *   runCli(args)         the compiled CLI (bin/edgelock.js → lib/) in a child process, as users run
 *                        it, synchronously: where the process boundary matters (the bin works, a
 *                        real exit code, stdin that is not a TTY).
 *   runCliAsync(args)    the same, without blocking this process (for a server that runs here,
 *                        such as s3rver, that the child talks to).
 *
 * Each resolves to `{ status, stdout, stderr }`. The child-process runners need `npm run compile`
 * (`npm test` does it). In-process runs use this process's working folder: give absolute paths.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.join(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'edgelock.js');

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ChildOptions {
  /** @default the repository root */
  readonly cwd?: string;
  /** Standard input. @default empty */
  readonly input?: string;
  /** @default PATH and HOME only, with CHECKPOINT_DISABLE=1 */
  readonly env?: NodeJS.ProcessEnv;
  /** @default 60 s */
  readonly timeoutMs?: number;
}

function childEnv(options: ChildOptions): NodeJS.ProcessEnv {
  return options.env ?? { PATH: process.env.PATH, HOME: process.env.HOME, CHECKPOINT_DISABLE: '1' };
}

/** `edgelock ...args` in a child process; waits for it. */
export function runCli(args: readonly string[], options: ChildOptions = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input ?? '',
    env: childEnv(options),
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Any command in a child process, without blocking this one; killed after `timeoutMs`. */
export function runProcess(command: string, args: readonly string[], options: ChildOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? ROOT, env: childEnv(options), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** `edgelock ...args` in a child process, without blocking this one. */
export function runCliAsync(args: readonly string[], options: ChildOptions = {}): Promise<CliResult> {
  return runProcess(process.execPath, [BIN, ...args], options);
}

/** `edgelock ...args` run by the program in this process, its output captured. */
export async function runInProcess(args: readonly string[]): Promise<CliResult & { readonly status: number }> {
  // Loaded on first use: test files that only spawn the CLI need not load every command.
  const { runProgram } = await import('../../src/cli/main');
  let stdout = '';
  let stderr = '';
  const status = await runProgram(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { status, stdout, stderr };
}
