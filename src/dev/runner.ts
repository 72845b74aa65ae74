/**
 * Runs one built edge bundle the way Lambda@Edge does, and no more kindly: in worker threads
 * (each instance its own heap and globals), with an empty `process.env`, only Node's built-in
 * modules to require, the result passed back as JSON, and the trigger's timeout enforced on the
 * handler's own run (loading the bundle is the init phase, bounded on its own). An
 * instance that hangs or crashes is discarded; the next call starts a fresh one (a cold start).
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
  /** Most instances (worker threads) run at once. @default 2 */
  readonly instances?: number;
  /**
   * Longest an instance may take to load the bundle (Lambda's init phase), apart from the
   * trigger's timeout, which measures only the handler's own run. @default 10000
   */
  readonly initTimeoutMs?: number;
}

/** @default instances per handler: enough that one slow call does not stall the rest */
export const DEFAULT_INSTANCES = 2;

/** @default init phase limit: Lambda stops an instance whose initialisation runs past 10 s */
export const DEFAULT_INIT_TIMEOUT_MS = 10_000;

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
// Loaded: from now on each invocation's timeout measures the handler's own run only.
parentPort.postMessage({ ready: true });
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

/** What the worker is sent for one invocation. */
interface InvokeMessage {
  readonly id: number;
  readonly event: string;
  readonly timeoutMs: number;
  readonly requestId: string;
}

/** One call: queued until its instance has loaded the bundle, then timed while the handler runs. */
interface Pending {
  readonly resolve: (o: InvokeOutcome) => void;
  readonly message: InvokeMessage;
  /** When the call was made. */
  readonly queued: number;
  /** When the call was handed to a loaded handler; the timeout runs from here. */
  started?: number;
  timer?: NodeJS.Timeout;
}

/** The worker's first message, once the bundle is loaded and exports a handler. */
interface WorkerReady {
  readonly ready: true;
}

interface WorkerReply {
  readonly id: number;
  readonly ok: boolean;
  readonly json?: string;
  readonly message?: string;
}

/** One function instance: a worker thread and the calls it is running. */
interface Instance {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
  /** Whether the bundle has loaded (the init phase is over). */
  ready: boolean;
  /** Bounds the init phase; cleared once the bundle has loaded. */
  loadTimer?: NodeJS.Timeout;
}

/**
 * One edge bundle, run by up to `instances` isolated workers (Lambda runs concurrent requests in
 * separate instances; a CPU-bound call such as a bcrypt check holds up only its own instance).
 */
export class BundleRunner {
  readonly name: string;
  private readonly options: RunnerOptions;
  private readonly code: string;
  private readonly slots: (Instance | undefined)[];
  private nextId = 1;
  private closed = false;

  constructor(options: RunnerOptions) {
    this.options = options;
    this.name = options.name;
    this.slots = new Array<Instance | undefined>(Math.max(1, options.instances ?? DEFAULT_INSTANCES)).fill(undefined);
    try {
      this.code = readFileSync(options.bundle, 'utf8');
    } catch (err) {
      throw new EdgelockError(`cannot read the ${options.name} bundle ${options.bundle}: ${(err as Error).message}; run "edgelock build" first`, { code: 'BUILD_MISSING', cause: err });
    }
  }

  /** Invokes the handler with `event`; never rejects. */
  invoke(event: unknown): Promise<InvokeOutcome> {
    if (this.closed) return Promise.resolve({ ok: false, failure: 'crashed', message: 'the local edge is shutting down', ms: 0 });
    const instance = this.pick();
    const id = this.nextId++;
    const message: InvokeMessage = { id, event: JSON.stringify(event), timeoutMs: this.options.timeoutMs, requestId: randomUUID() };
    return new Promise<InvokeOutcome>((resolve) => {
      const pending: Pending = { resolve, message, queued: performance.now() };
      instance.pending.set(id, pending);
      if (instance.ready) this.dispatch(instance, pending);
    });
  }

  /** Stops every instance. Pending calls fail. */
  async close(): Promise<void> {
    this.closed = true;
    const running = this.slots.filter((i): i is Instance => i !== undefined);
    this.slots.fill(undefined);
    for (const i of running) {
      clearTimeout(i.loadTimer);
      this.failAll(i, 'the local edge is shutting down');
    }
    await Promise.all(running.map((i) => i.worker.terminate()));
  }

  /** An idle instance, else a new one while there is room, else the least busy. */
  private pick(): Instance {
    let best: Instance | undefined;
    for (const i of this.slots) if (i && (!best || i.pending.size < best.pending.size)) best = i;
    if (best && best.pending.size === 0) return best;
    const free = this.slots.indexOf(undefined);
    if (free >= 0) return (this.slots[free] = this.start());
    return best!;
  }

  /** Hands a call to a loaded handler and starts the trigger's timeout. */
  private dispatch(instance: Instance, p: Pending): void {
    const { id } = p.message;
    p.started = performance.now();
    p.timer = setTimeout(() => {
      instance.pending.delete(id);
      p.resolve({ ok: false, failure: 'timeout', message: `timed out after ${this.options.timeoutMs} ms`, ms: elapsed(p) });
      // A handler past its deadline may be spinning: its instance is discarded, as Lambda does.
      this.discard(instance, 'another call on the same instance timed out');
    }, this.options.timeoutMs);
    instance.worker.postMessage(p.message);
  }

  /** The bundle has loaded: the calls that waited for it start now. */
  private loaded(instance: Instance): void {
    instance.ready = true;
    clearTimeout(instance.loadTimer);
    for (const p of instance.pending.values()) if (p.timer === undefined) this.dispatch(instance, p);
  }

  /** The bundle did not load in time: its calls time out and the instance is discarded. */
  private loadTimedOut(instance: Instance): void {
    const limit = this.options.initTimeoutMs ?? DEFAULT_INIT_TIMEOUT_MS;
    for (const [id, p] of instance.pending) {
      instance.pending.delete(id);
      p.resolve({ ok: false, failure: 'timeout', message: `the bundle did not load within ${limit} ms`, ms: elapsed(p) });
    }
    this.discard(instance, 'the bundle did not load in time');
  }

  private start(): Instance {
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
    const instance: Instance = { worker, pending: new Map(), ready: false };
    instance.loadTimer = setTimeout(() => this.loadTimedOut(instance), this.options.initTimeoutMs ?? DEFAULT_INIT_TIMEOUT_MS);
    worker.on('message', (reply: WorkerReply | WorkerReady) => ('ready' in reply ? this.loaded(instance) : this.settle(instance, reply)));
    worker.on('error', (err) => this.discard(instance, `the function crashed: ${err.name}: ${err.message}`));
    worker.on('exit', () => this.discard(instance, 'the function instance exited'));
    return instance;
  }

  private settle(instance: Instance, reply: WorkerReply): void {
    const p = instance.pending.get(reply.id);
    if (!p) return;
    instance.pending.delete(reply.id);
    clearTimeout(p.timer);
    const ms = elapsed(p);
    if (!reply.ok) {
      p.resolve({ ok: false, failure: 'threw', message: reply.message ?? 'unknown error', ms });
      return;
    }
    p.resolve({ ok: true, result: JSON.parse(reply.json ?? 'null') as unknown, ms });
  }

  private discard(instance: Instance, message: string): void {
    const slot = this.slots.indexOf(instance);
    if (slot < 0) return;
    this.slots[slot] = undefined;
    clearTimeout(instance.loadTimer);
    this.failAll(instance, message);
    void instance.worker.terminate();
  }

  private failAll(instance: Instance, message: string): void {
    for (const [id, p] of instance.pending) {
      clearTimeout(p.timer);
      instance.pending.delete(id);
      p.resolve({ ok: false, failure: 'crashed', message, ms: elapsed(p) });
    }
  }
}

/** How long the handler has run, or, for a call that never reached one, how long it waited. */
function elapsed(p: Pending): number {
  return performance.now() - (p.started ?? p.queued);
}
