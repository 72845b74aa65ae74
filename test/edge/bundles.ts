/**
 * Test support: builds the real edge bundles with `buildEdge` into a temp folder, loads them as
 * Lambda would (`require(bundle).handler`), invokes them with recorded events and a Lambda
 * context, and passes every result through the Lambda@Edge validator.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hashSync } from 'bcryptjs';
import { loadBundleHandler } from '../../src/build/load-bundle';
import { buildEdge, type BuildResult } from '../../src/build';
import type { HandlerName } from '../../src/build/handlers';
import { parseConfig, resolveConfig } from '../../src/config/load';
import { assertValidResult } from '../../src/edge/cloudfront';

// aws-lambda-test-utils has no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { mockContextCreator } = require('aws-lambda-test-utils') as {
  mockContextCreator(options: Record<string, string>, cb: (result: unknown) => void): object;
};

/** Generated users at bcrypt cost 8 (fast tests); the example htpasswd user is cost 10. */
export const USERS = {
  alice: 'correct horse battery staple',
  bob: 'pässwörd-ü',
  /** Exactly bcrypt's 72-byte limit. */
  carol: `long-${'x'.repeat(67)}`,
} as const;
export const EXAMPLE_HTPASSWD = path.join(__dirname, '..', '..', 'examples', 'users.htpasswd');

export function basic(user: string, password: string, scheme = 'Basic'): string {
  return `${scheme} ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

let usersCache: { user: string; hash: string }[] | undefined;
export function testUsers(): { user: string; hash: string }[] {
  usersCache ??= Object.entries(USERS).map(([user, password]) => ({ user, hash: hashSync(password, 8) }));
  return usersCache;
}

/** A config like the example, with inline users; `over` replaces top-level sections. */
export function testConfigInput(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    project: 'acme-web',
    tools: { accountId: '111111111111' },
    environments: {
      dev: { accountId: '222222222222', region: 'eu-west-1', auth: true },
      legacy: { accountId: '444444444444', region: 'us-east-1', auth: true, originAccess: 'oai', bucket: 'acme-legacy-site' },
      prod: { accountId: '333333333333', region: 'eu-west-1', auth: false },
    },
    auth: { realm: 'Acme preview', users: testUsers(), bypass: ['/health', '/.well-known/*'] },
    ...over,
  };
}

export type Handler = (event: unknown, context?: object) => Promise<unknown>;

export interface Bundles {
  readonly outDir: string;
  readonly build: BuildResult;
  /** The `handler` export of `<out>/<env>/<name>/index.js`, loaded fresh. */
  handler(env: string, name: HandlerName): Handler;
  cleanup(): void;
}

/** Builds every environment's bundles once (call in beforeAll). */
export async function buildBundles(input: Record<string, unknown> = testConfigInput()): Promise<Bundles> {
  const outDir = mkdtempSync(path.join(tmpdir(), 'edgelock-edge-'));
  const config = resolveConfig(parseConfig(input, '<test config>'), path.join(outDir, 'edgelock.config.ts'), path.dirname(EXAMPLE_HTPASSWD));
  const build = await buildEdge(config, { outDir });
  const loaded = new Map<string, Handler>();
  return {
    outDir,
    build,
    handler(env, name) {
      const file = path.join(outDir, env, name, 'index.js');
      let h = loaded.get(file);
      if (!h) {
        h = loadBundleHandler<Handler>(readFileSync(file, 'utf8'));
        loaded.set(file, h);
      }
      return h;
    },
    cleanup: () => rmSync(outDir, { recursive: true, force: true }),
  };
}

/** A recorded event from src/testing/recorded, deep-copied so each test may change it. */
export function recordedEvent<T = any>(name: string): T { // eslint-disable-line @typescript-eslint/no-explicit-any
  return JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'src', 'testing', 'recorded', `${name}.json`), 'utf8')) as T;
}

function lambdaContext(name: string): object {
  const fn = `acme-web-dev-${name}`;
  return mockContextCreator(
    {
      functionName: `us-east-1.${fn}`,
      functionVersion: '7',
      invokedFunctionArn: `arn:aws:lambda:us-east-1:222222222222:function:${fn}:7`,
      memoryLimitInMB: '128',
      awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      logGroupName: `/aws/lambda/us-east-1.${fn}`,
      logStreamName: '2026/11/29/[7]0123456789abcdef',
    },
    () => undefined,
  );
}

/**
 * Invokes a handler with an event and a Lambda context, checks the result with the
 * validator (read-only headers compared with the event as it arrived) and returns it.
 */
export async function invoke<R = any>(handler: Handler, event: any): Promise<R> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const cf = event.Records[0].cf;
  const eventType = cf.config.eventType;
  const original = structuredClone(eventType.endsWith('-response') ? cf.response : cf.request);
  const result = await handler(event, lambdaContext(eventType));
  const isGenerated = eventType.endsWith('-request') && result !== null && typeof result === 'object' && 'status' in result;
  assertValidResult(eventType, result, isGenerated ? undefined : original);
  return result as R;
}
