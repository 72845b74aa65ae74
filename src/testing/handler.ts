/**
 * `loadHandler`: one built edge function, run the way Lambda@Edge runs it. The event goes in as
 * JSON and the result comes back as JSON (as Lambda serialises both), the trigger's timeout is
 * enforced, and the result is checked against the rules CloudFront applies before using it.
 */
import { randomUUID } from 'node:crypto';
import { HANDLERS, type HandlerName } from '../build/handlers';
import { assertValidResult, isResponse, type CfEvent, type CfGeneratedResponse, type CfRequest } from '../edge/cloudfront';
import { EdgelockError } from '../errors';
import { readBuiltEnvironment, readBundle, type BuiltEnvironment } from './dist';
import { loadInSandbox, type BundleHandler } from './sandbox';

/** What a request trigger may return: the (changed) request, or a response it generated. */
export type HandlerResult = CfRequest | CfGeneratedResponse;

/** A built edge function: resolves to its validated result, rejects with what CloudFront would do. */
export type EdgeHandler = (event: CfEvent) => Promise<HandlerResult>;

function failed(name: HandlerName, what: string, cause?: unknown): EdgelockError {
  return new EdgelockError(`the ${name} function ${what} (CloudFront answers the viewer 503, LambdaExecutionError)`, {
    code: 'EDGE_FUNCTION_FAILED',
    ...(cause !== undefined ? { cause } : {}),
  });
}

function checkEvent(name: HandlerName, event: unknown): CfEvent {
  const cf = (event as CfEvent | undefined)?.Records?.[0]?.cf;
  if (!cf || typeof cf !== 'object' || typeof cf.request !== 'object' || cf.request === null) {
    throw new EdgelockError(`the ${name} function takes a CloudFront event { Records: [{ cf: { config, request${name.endsWith('-response') ? ', response' : ''} } }] }: build one with events.${name === 'viewer-request' ? 'viewerRequest' : name === 'origin-request' ? 'originRequest' : 'originResponse'}() or take one from recorded`, { code: 'USAGE' });
  }
  const type = cf.config?.eventType;
  if (type !== undefined && type !== name) {
    throw new EdgelockError(`this is the ${name} function but the event is a ${String(type)} event: pass events.${name === 'viewer-request' ? 'viewerRequest' : name === 'origin-request' ? 'originRequest' : 'originResponse'}() or load the ${type} handler`, { code: 'USAGE' });
  }
  if (name.endsWith('-response') && (typeof cf.response !== 'object' || cf.response === null)) {
    throw new EdgelockError(`a ${name} event needs Records[0].cf.response (the origin's answer)`, { code: 'USAGE' });
  }
  return event as CfEvent;
}

function lambdaContext(name: HandlerName, env: string, deadline: number, memoryMb: number): object {
  const functionName = `edgelock-${env}-${name}`;
  return {
    functionName: `us-east-1.${functionName}`,
    functionVersion: '1',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}:1`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/us-east-1.${functionName}`,
    logStreamName: 'edgelock-testing',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/** Calls an async or callback-style handler; rejects after `timeoutMs`. */
function call(handler: BundleHandler, name: HandlerName, event: unknown, context: object, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => finish(failed(name, `timed out after ${timeoutMs / 1000} s, the trigger's limit`)), timeoutMs);
    timer.unref();
    function finish(err: unknown, value?: unknown): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) reject(err instanceof EdgelockError ? err : failed(name, `threw: ${(err as Error)?.message ?? String(err)}`, err));
      else resolve(value);
    }
    try {
      const ret = handler(event, context, (err, value) => finish(err, value));
      if (ret && typeof (ret as Promise<unknown>).then === 'function') (ret as Promise<unknown>).then((v) => finish(null, v), (e: unknown) => finish(e ?? new Error('rejected')));
      else if (handler.length < 3) finish(null, ret);
    } catch (err) {
      finish(err);
    }
  });
}

/** Lambda passes results through JSON: what does not survive it does not reach CloudFront. */
function asJson(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
}

/** A handler over an already-read build (runChain shares one load per handler). */
export function handlerOf(built: BuiltEnvironment, name: HandlerName): EdgeHandler {
  const { file, code } = readBundle(built, name);
  const fn = loadInSandbox(code, file);
  const spec = HANDLERS.find((h) => h.name === name)!;
  const timeoutMs = spec.timeoutSeconds * 1000;
  return async (event: CfEvent): Promise<HandlerResult> => {
    const input = asJson(checkEvent(name, event)) as CfEvent;
    const cf = input.Records[0].cf;
    const original = structuredClone(name.endsWith('-response') ? cf.response : cf.request);
    const raw = await call(fn, name, input, lambdaContext(name, built.env, Date.now() + timeoutMs, spec.memoryMb), timeoutMs);
    const result = asJson(raw);
    const generated = name.endsWith('-request') && isResponse(result);
    assertValidResult(name, result, generated ? undefined : original);
    return result as HandlerResult;
  };
}

/**
 * Loads the built `name` function of environment `env` from `distDir` (`edgelock build`'s output).
 * The bundle is evaluated once, as a warm Lambda instance keeps it: state such as the verified-
 * credentials cache lives across calls to the returned function.
 */
export async function loadHandler(distDir: string, env: string, name: HandlerName): Promise<EdgeHandler> {
  return handlerOf(readBuiltEnvironment(distDir, env), name);
}
