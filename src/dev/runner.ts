/**
 * Runs one built edge bundle the way Lambda@Edge does, and no more kindly: in its own worker
 * thread (its own heap and globals), with an empty `process.env`, only Node's built-in modules to
 * require, the result passed back as JSON, and the trigger's timeout enforced. A bundle that hangs
 * or crashes loses its worker; the next call starts a fresh one (a cold start).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { EdgelockError } from '../errors';

/** Why a call produced no result. Lambda@Edge answers each of these with a 503. */
export type InvokeFailure = 'threw' | 'timeout' | 'crashed';

export type InvokeOutcome =
  | { readonly ok: true; readonly result: unknown; readonly ms: number }
  | { readonly ok: false; readonly failure: InvokeFailure; readonly message: string; readonly ms: number };

export interface RunnerOptions {
  /** Handler name, used in logs and the context's functionName. */
  readonly name: string;
  /** Path of the bundle (CommonJS, exports `handler`). */
  readonly bundle: string;
  /** The trigger's timeout: 5 s for viewer triggers, 30 s for origin triggers. */
  readonly timeoutMs: number;
  /** Memory limit shown to the handler in its context, in MB. */
  readonly memoryMb: number;
}

/**
 * The worker's code, evaluated as a CommonJS script. It loads the bundle with a `require` that
 * only knows Node's built-ins (an edge bundle must be self-contained) and answers one message per
 * invocation with the JSON of the result, as Lambda serialises it.
 */
const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { builtinModules } = require('node:module');
const vm = require('node:vm');
const path = require('node:path');
const builtins = new Set(builtinModules);
function edgeRequire(id) {
  const name = String(id).replace(/^node:/, '');
  if (!builtins.has(name)) throw new Error("Cannot find module '" + id + "': a Lambda@Edge bundle must include its dependencies");
  return require(id);
}
const module_ = { exports: {} };
const wrapper = vm.runInThisContext('(function (exports, require, module, __filename, __dirname) {' + workerData.code + '\n})', { filename: workerData.file });
wrapper.call(module_.exports, module_.exports, edgeRequire, module_, workerData.file, path.dirname(workerData.file));
const handler = module_.exports.handler;
if (typeof handler !== 'function') throw new Error('the bundle does not export a function named "handler"');
function invoke(event, context) {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (err, value) => { if (done) return; done = true; err ? reject(err) : resolve(value); };
    const ret = handler(event, context, (err, value) => finish(err, value));
    if (ret && typeof ret.then === 'function') ret.then((v) => finish(null, v), (e) => finish(e));
    else if (handler.length < 3) finish(null, ret);
  });
}
parentPort.on('message', async (msg) => {
  const deadline = Date.now() + msg.timeoutMs;
  const context = {
    functionName: workerData.functionName,
    functionVersion: '1',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:' + workerData.functionName + ':1',
    memoryLimitInMB: String(workerData.memoryMb),
    awsRequestId: msg.requestId,
    logGroupName: '/aws/lambda/us-east-1.' + workerData.functionName,
    logStreamName: 'edgelock-dev',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    const result = await invoke(JSON.parse(msg.event), context);
    let json;
    try { json = JSON.stringify(result === undefined ? null : result); }
    catch (e) { throw new Error('the result is not JSON-serialisable: ' + (e && e.message)); }
    parentPort.postMessage({ id: msg.id, ok: true, json });
  } catch (e) {
    const message = e instanceof Error ? (e.name + ': ' + e.message) : String(e);
    parentPort.postMessage({ id: msg.id, ok: false, message });
  }
});
`;

interface Pending {
  readonly resolve: (o: InvokeOutcome) => void;
  readonly timer: NodeJS.Timeout;
  readonly started: number;
}

interface WorkerReply {
  readonly id: number;
  readonly ok: boolean;
  readonly json?: string;
  readonly message?: string;
}

/** One edge bundle in an isolated worker. */
export class BundleRunner {
  readonly name: string;
  private readonly options: RunnerOptions;
  private readonly code: string;
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(options: RunnerOptions) {
    this.options = options;
    this.name = options.name;
    try {
      this.code = readFileSync(options.bundle, 'utf8');
    } catch (err) {
      throw new EdgelockError(`cannot read the ${options.name} bundle ${options.bundle}: ${(err as Error).message}; run "edgelock build" first`, { cause: err });
    }
  }

  /** Invokes the handler with `event`; never rejects. */
  invoke(event: unknown): Promise<InvokeOutcome> {
    if (this.closed) return Promise.resolve({ ok: false, failure: 'crashed', message: 'the local edge is shutting down', ms: 0 });
    const worker = this.ensureWorker();
    const id = this.nextId++;
    const started = performance.now();
    return new Promise<InvokeOutcome>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ ok: false, failure: 'timeout', message: `timed out after ${this.options.timeoutMs} ms`, ms: performance.now() - started });
        // A handler past its deadline may be spinning: its instance is discarded, as Lambda does.
        this.discard(worker, `another call on the same instance timed out`);
      }, this.options.timeoutMs);
      this.pending.set(id, { resolve, timer, started });
      worker.postMessage({ id, event: JSON.stringify(event), timeoutMs: this.options.timeoutMs, requestId: randomUUID() });
    });
  }

  /** Stops the worker. Pending calls fail. */
  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = undefined;
    this.failAll('crashed', 'the local edge is shutting down');
    if (w) await w.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      env: {},
      workerData: {
        code: this.code,
        file: this.options.bundle,
        functionName: `edgelock-dev-${this.options.name}`,
        memoryMb: this.options.memoryMb,
      },
      resourceLimits: { maxOldGenerationSizeMb: Math.max(16, this.options.memoryMb) },
    });
    worker.on('message', (reply: WorkerReply) => this.settle(reply));
    worker.on('error', (err) => this.discard(worker, `the function crashed: ${err.name}: ${err.message}`));
    worker.on('exit', () => this.discard(worker, 'the function instance exited'));
    this.worker = worker;
    return worker;
  }

  private settle(reply: WorkerReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    clearTimeout(p.timer);
    const ms = performance.now() - p.started;
    if (!reply.ok) {
      p.resolve({ ok: false, failure: 'threw', message: reply.message ?? 'unknown error', ms });
      return;
    }
    p.resolve({ ok: true, result: JSON.parse(reply.json ?? 'null') as unknown, ms });
  }

  private discard(worker: Worker, message: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.failAll('crashed', message);
    void worker.terminate();
  }

  private failAll(failure: InvokeFailure, message: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.resolve({ ok: false, failure, message, ms: performance.now() - p.started });
    }
  }
}
