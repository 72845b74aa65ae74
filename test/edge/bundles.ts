/**
 * Test support: the edge handlers from two sources, run through the same tables. `buildBundles`
 * builds the real edge bundles with `buildEdge` into a temp folder and loads them as Lambda would
 * (`require(bundle).handler`); `sourceHandlers` calls each handler module's `createHandler` with
 * the config the build bakes in (same slice, JSON round trip, deep-frozen), so coverage sees the
 * source. `invoke` runs either with recorded events and a Lambda context, and passes every result
 * through the Lambda@Edge validator.
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hashSync } from 'bcryptjs';
import { loadBundleHandler } from '../../src/build/load-bundle';
import { buildEdge, handlersFor, type BuildResult } from '../../src/build';
import { toEdgeConfig } from '../../src/build/edge-config';
import type { HandlerName } from '../../src/build/handlers';
import { parseConfig, resolveConfig } from '../../src/config/load';
import type { ResolvedConfig } from '../../src/config/schema';
import { assertValidResult } from '../../src/edge/cloudfront';
import type { EdgeConfig } from '../../src/edge/config';
import { createHandler as originRequest } from '../../src/edge/origin-request';
import { createHandler as originResponse } from '../../src/edge/origin-response';
import { createHandler as viewerRequest } from '../../src/edge/viewer-request';
import { deepFreeze } from '../../src/freeze';
import { tempDir, validConfig } from '../helpers/config';

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

/**
 * The shared test config (test/helpers/config.ts validConfig) with the generated users, the
 * example's bypass paths and a legacy OAI environment; `over` replaces top-level sections.
 */
export function testConfigInput(over: Record<string, unknown> = {}): Record<string, unknown> {
  return validConfig(
    {
      // A ceiling the tables never reach; test/edge/viewer-request.test.ts tests the ceiling itself.
      auth: { realm: 'Acme preview', users: testUsers(), bypass: ['/health', '/.well-known/*'], maxVerificationsPerSecond: 100 },
      ...over,
    } as Parameters<typeof validConfig>[0],
    { legacy: { accountId: '444444444444', region: 'us-east-1', auth: true, originAccess: 'oai', bucket: 'acme-legacy-site' } },
  ) as unknown as Record<string, unknown>;
}

export type Handler = (event: unknown, context?: object) => Promise<unknown>;

/** One environment's handlers, from source or from the built bundles. */
export interface EdgeHandlers {
  /** "source" or "built bundle": shown in the test names. */
  readonly kind: string;
  /** The handler for an environment, created once and reused (a warm instance). */
  handler(env: string, name: HandlerName): Handler;
  cleanup(): void;
}

export interface Bundles extends EdgeHandlers {
  readonly outDir: string;
  readonly build: BuildResult;
}

/** Parses and resolves a test config; `dir` stands in for the config file's folder. */
export function resolveTestConfig(input: Record<string, unknown>, dir: string): ResolvedConfig {
  return resolveConfig(parseConfig(input, '<test config>'), path.join(dir, 'edgelock.config.ts'), path.dirname(EXAMPLE_HTPASSWD));
}

/**
 * Builds every environment's bundles once (call in beforeAll), one environment at a time: what a
 * full build adds, the pipeline's deploy function, is not an edge bundle (test/build covers it).
 */
export async function buildBundles(input: Record<string, unknown> = testConfigInput()): Promise<Bundles> {
  const outDir = tempDir('edgelock-edge-');
  const config = resolveTestConfig(input, outDir);
  let build: BuildResult | undefined;
  for (const env of Object.keys(config.environments)) build = await buildEdge(config, { outDir, env });
  const loaded = new Map<string, Handler>();
  return {
    kind: 'built bundle',
    outDir,
    build: build!,
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

const FACTORIES: Readonly<Record<HandlerName, (config: EdgeConfig) => unknown>> = {
  'viewer-request': viewerRequest,
  'origin-request': originRequest,
  'origin-response': originResponse,
};

/**
 * The config one bundle is built with, as the bundle sees it: `toEdgeConfig`, without the users
 * in the origin bundles, through JSON (the build bakes it in as JSON) and deep-frozen.
 */
export function bakedConfig(config: ResolvedConfig, env: string, name: HandlerName): EdgeConfig {
  const edge = toEdgeConfig(config, config.environments[env]!);
  const baked = name === 'viewer-request' ? edge : { ...edge, auth: null };
  return deepFreeze(JSON.parse(JSON.stringify(baked)) as EdgeConfig);
}

/** The same handlers as `buildBundles`, from source: `createHandler(deepFreeze(config))`. */
export async function sourceHandlers(input: Record<string, unknown> = testConfigInput()): Promise<EdgeHandlers> {
  const config = resolveTestConfig(input, path.join(tmpdir(), 'edgelock-edge-source'));
  const created = new Map<string, Handler>();
  return {
    kind: 'source',
    handler(env, name) {
      const key = `${env}/${name}`;
      let h = created.get(key);
      if (!h) {
        const environment = config.environments[env];
        if (!environment || !handlersFor(environment).some((spec) => spec.name === name)) throw new Error(`no ${name} handler is built for ${env}`);
        h = FACTORIES[name](bakedConfig(config, env, name)) as Handler;
        created.set(key, h);
      }
      return h;
    },
    cleanup: () => undefined,
  };
}

/** Both sources of the handlers, for `describe.each`: every table runs against each. */
export const HANDLER_SOURCES: readonly (readonly [string, (input?: Record<string, unknown>) => Promise<EdgeHandlers>])[] = [
  ['source', sourceHandlers],
  ['built bundle', buildBundles],
];

/**
 * Captures console.log (where the handlers write their audit lines) during each test of the file
 * that calls this: the array returned holds the current test's lines.
 */
export function captureConsoleLog(): string[] {
  const lines: string[] = [];
  let spy: jest.SpyInstance | undefined;
  beforeEach(() => {
    lines.length = 0;
    spy = jest.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  });
  afterEach(() => spy?.mockRestore());
  return lines;
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
