/** Shared set-up for the deploy tests: a config, a generated site folder, a listing helper. */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { ResolvedConfig } from '../../src/config/schema';
import { EdgelockError } from '../../src/errors';
import { DEMO_HASH, resolvedConfig, validConfig } from '../helpers/config';
import { tempDir } from '../helpers/temp';

// The SDK's notice that it will drop Node 20 in 2027 is not what these tests check.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const BUCKET = 'acme-site-dev';

/** The edgelock error `p` rejects with (fails the test when it resolves or rejects with something else). */
export async function rejection(p: Promise<unknown>): Promise<EdgelockError> {
  const outcome = await p.then(
    () => new Error('expected a rejection, but it resolved'),
    (e: unknown) => e,
  );
  if (!(outcome instanceof EdgelockError)) throw outcome;
  return outcome;
}

/** A real bcrypt entry for user "demo", password "edgelock-demo" (cost 10). */
export const DEMO_AUTH = { realm: 'Preview', users: [{ user: 'demo', hash: DEMO_HASH }] };

/** The shared test config with one environment, `dev` (no auth, bucket {@link BUCKET}), and `overrides`. */
export function testConfig(overrides: { env?: Record<string, unknown>; deploy?: Record<string, unknown>; auth?: Record<string, unknown> } = {}): ResolvedConfig {
  const { auth: sharedUsers, ...withoutAuth } = validConfig({ deploy: { concurrency: 8, ...overrides.deploy } }, { dev: { auth: false, bucket: BUCKET, ...overrides.env } }, { only: true });
  void sharedUsers; // no auth section unless a test asks for one
  return resolvedConfig(overrides.auth ? { ...withoutAuth, auth: overrides.auth } : withoutAuth, '/tmp/edgelock.config.ts');
}

export interface Site {
  readonly dir: string;
  write(rel: string, content: string | Buffer): void;
  remove(rel: string): void;
  cleanup(): void;
}

export function makeSite(files: Record<string, string | Buffer>): Site {
  const dir = tempDir('edgelock-site-');
  const site: Site = {
    dir,
    write(rel, content) {
      const f = path.join(dir, rel);
      mkdirSync(path.dirname(f), { recursive: true });
      writeFileSync(f, content);
    },
    remove(rel) {
      rmSync(path.join(dir, rel));
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  for (const [rel, content] of Object.entries(files)) site.write(rel, content);
  return site;
}

/** A small site: HTML pages that reference hashed assets. */
export function sampleSite(): Record<string, string> {
  return {
    'index.html': '<!doctype html><link rel="stylesheet" href="/assets/app.3f9a1c2b.css"><script src="/assets/app.5e6f7a8b.js"></script><h1>Home</h1>',
    'about/index.html': '<!doctype html><h1>About</h1>',
    'assets/app.3f9a1c2b.css': 'body{color:#222}',
    'assets/app.5e6f7a8b.js': 'console.log("v1")',
    'robots.txt': 'User-agent: *\nDisallow:\n',
    'data/feed.json': '{"items":[]}',
  };
}

/** Every key in the bucket (with its ETag), edgelock's deploy records under .edgelock/ left out unless `records`. */
export async function listKeys(s3: S3Client, bucket = BUCKET, records = false): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (records || !o.Key!.startsWith('.edgelock/')) out.set(o.Key!, (o.ETag ?? '').replace(/"/g, ''));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}
