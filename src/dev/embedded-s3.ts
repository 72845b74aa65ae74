/**
 * The embedded S3: s3rver on loopback, behind a gate that makes the bucket private. Every request
 * is logged (method, host, path, every header) before anything else happens, so a test can prove
 * what reached S3. Anonymous requests and bad SigV4 signatures are refused with S3's own error
 * codes; only signed requests reach s3rver.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { EdgelockError } from '../errors';
import { objectStamp, plainReadKey, ReadMemo, type ReadMemoOptions } from './s3-reads';
import { awaitObjectWrites, type S3rverStore } from './s3rver-writes';
import { parseQuery, verifySigV4, type Credentials } from './sigv4';

export interface S3LogEntry {
  readonly time: string;
  readonly method: string;
  readonly host: string;
  /** The request target as sent (path and query). */
  readonly url: string;
  /** Every header, lower-case name → values in order. */
  readonly headers: Readonly<Record<string, readonly string[]>>;
  /** The status S3 answered with (0 while in flight). */
  status: number;
  /** S3's error code when the gate refused the request. */
  refused?: string;
  /** The object was unchanged and s3rver's earlier answer was replayed (src/dev/s3-reads.ts). */
  remembered?: true;
}

export interface EmbeddedS3Options {
  /** Buckets to create. */
  readonly buckets: readonly string[];
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Where objects are stored. @default a fresh temporary folder, removed on close */
  readonly directory?: string;
  /** @default a fresh random key pair */
  readonly credentials?: Credentials;
  /** Log entries kept (oldest dropped first). @default 10000 */
  readonly logLimit?: number;
  /** Replay s3rver's answers to plain reads of unchanged objects; `false` sends every read to s3rver. @default {} (on, 32 MiB) */
  readonly rememberReads?: ReadMemoOptions | false;
}

export interface EmbeddedS3 {
  /** e.g. "http://127.0.0.1:41234" */
  readonly endpoint: string;
  readonly port: number;
  /** The bucket owner's keys: every S3 operation (uploads, listings). */
  readonly credentials: Credentials;
  /**
   * The distribution's keys, the stand-in for its OAC/OAI identity: like a bucket policy that
   * grants only s3:GetObject, they read objects and nothing else, and a missing key is 403
   * AccessDenied (no s3:ListBucket), as S3 answers CloudFront.
   */
  readonly readerCredentials: Credentials;
  /** Requests received, oldest first. */
  readonly log: readonly S3LogEntry[];
  clearLog(): void;
  close(): Promise<void>;
}

interface S3rverInstance {
  configureBuckets(): Promise<unknown>;
  store: S3rverStore & { existsObject(bucket: string, key: string): Promise<boolean> };
  callback(): (req: http.IncomingMessage, res: http.ServerResponse) => void;
  logger: { close(): void };
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;
interface AccountModule {
  DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void; revokeAccessKey(id: string): void };
}

const STATUS: Record<string, number> = {
  AccessDenied: 403,
  InvalidAccessKeyId: 403,
  SignatureDoesNotMatch: 403,
  RequestTimeTooSkewed: 403,
  AuthorizationHeaderMalformed: 400,
  AccessControlListNotSupported: 400,
};

/** The embedded bucket has Object Ownership "BucketOwnerEnforced", the default for new buckets since April 2023. */
const OWNERSHIP_XML =
  '<?xml version="1.0" encoding="UTF-8"?>\n<OwnershipControls xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule></OwnershipControls>';

/**
 * With ACLs disabled (BucketOwnerEnforced), S3 refuses any ACL but "bucket-owner-full-control" on
 * writes, and every PutObjectAcl/PutBucketAcl: the seed incident's `public-read` upload fails here
 * as it would on a locked bucket. Returns the refusal message, or undefined when the request is fine.
 */
export function aclProblem(method: string, target: string, headers: http.IncomingHttpHeaders): string | undefined {
  if (method !== 'PUT' && method !== 'POST') return undefined;
  const message = 'The bucket does not allow ACLs';
  if (/[?&]acl(=|&|$)/.test(target)) return message;
  const canned = headers['x-amz-acl'];
  if (canned !== undefined && canned !== 'bucket-owner-full-control') return message;
  if (Object.keys(headers).some((h) => h.startsWith('x-amz-grant-'))) return message;
  return undefined;
}

function sendXml(res: http.ServerResponse, status: number, xml: string): void {
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml), server: 'AmazonS3' });
  res.end(xml);
}

function xmlError(code: string, message: string): string {
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${esc(code)}</Code><Message>${esc(message)}</Message></Error>`;
}

/**
 * Query parameters that make a GET or HEAD of a key something other than s3:GetObject (S3
 * sub-resources and operations). S3 ignores any other parameter on a GetObject, so a cache-buster
 * such as `?v=2` is served; these are refused to the distribution's read-only keys.
 */
const NOT_GET_OBJECT = new Set([
  'acl', 'attributes', 'legal-hold', 'retention', 'tagging', 'torrent', 'restore', 'select', 'select-type',
  'uploadId', 'uploads', 'versions', 'list-type', 'location', 'policy', 'cors', 'lifecycle', 'logging',
  'notification', 'ownershipControls', 'publicAccessBlock', 'replication', 'encryption', 'website',
  'versioning', 'requestPayment', 'accelerate', 'analytics', 'inventory', 'metrics', 'intelligent-tiering',
  'object-lock', 'delete', 'policyStatus',
]);

/** The bucket and key of an s3:GetObject request (GET or HEAD of a key, no sub-resource; other query parameters are ignored, as S3 does), else undefined. */
export function getObjectTarget(method: string, host: string, target: string): { bucket: string; key: string } | undefined {
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  const q = target.indexOf('?');
  const pathName = q < 0 ? target : target.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : target.slice(q + 1));
  for (const name of params.keys()) if (NOT_GET_OBJECT.has(name)) return undefined;
  const vhost = /^(.+)\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com(:\d+)?$/.exec(host);
  const parts = pathName.split('/');
  const bucket = vhost ? vhost[1]! : parts[1] ?? '';
  const rawKey = vhost ? pathName.slice(1) : parts.slice(2).join('/');
  try {
    const key = decodeURIComponent(rawKey);
    return bucket && key ? { bucket, key } : undefined;
  } catch {
    return undefined;
  }
}

export function randomCredentials(): Credentials {
  return {
    accessKeyId: `EDGELOCKDEV${randomBytes(5).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64url'),
  };
}

/** Starts the embedded S3 with its buckets created. */
export async function startEmbeddedS3(options: EmbeddedS3Options): Promise<EmbeddedS3> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const S3rver = require('s3rver') as S3rverClass;
  // s3rver keeps its keys in a process-wide registry; the gate below does the real checking.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const accounts = require('s3rver/lib/models/account') as AccountModule;
  const credentials = options.credentials ?? randomCredentials();
  const reader = randomCredentials();
  const ownDir = options.directory === undefined;
  const directory = options.directory ?? mkdtempSync(path.join(os.tmpdir(), 'edgelock-s3-'));
  const keys = new Map([
    [credentials.accessKeyId, credentials.secretAccessKey],
    [reader.accessKeyId, reader.secretAccessKey],
  ]);
  for (const c of [credentials, reader]) accounts.DUMMY_ACCOUNT.createKeyPair(c.accessKeyId, c.secretAccessKey);

  const s3 = new S3rver({
    silent: true,
    directory,
    serviceEndpoint: 'amazonaws.com',
    vhostBuckets: true,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  // A PUT is answered only once a GET would see its bytes (s3rver-writes.ts).
  awaitObjectWrites(s3.store);
  await s3.configureBuckets();
  const app = s3.callback();
  const log: S3LogEntry[] = [];
  const limit = options.logLimit ?? 10_000;
  const memo = options.rememberReads === false ? undefined : new ReadMemo(options.rememberReads);
  /**
   * The object file's stamp, or undefined when the key does not exist. A synchronous stat of a
   * file in the local store costs microseconds; the asynchronous one a hand-off to libuv's thread
   * pool and back, which on a busy machine cost more than the rest of the read.
   */
  const stampOf = (bucket: string, key: string): string | undefined => {
    try {
      const st = statSync(s3.store.getResourcePath(bucket, key, 'object'), { throwIfNoEntry: false });
      return st?.isFile() ? objectStamp(st) : undefined;
    } catch {
      return undefined; // ENOTDIR (a key below an object's name), EACCES: no such object for S3
    }
  };

  const server = http.createServer((req, res) => {
    const headers: Record<string, string[]> = {};
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) (headers[req.rawHeaders[i]!.toLowerCase()] ??= []).push(req.rawHeaders[i + 1]!);
    const entry: S3LogEntry = { time: new Date().toISOString(), method: req.method ?? '', host: req.headers.host ?? '', url: req.url ?? '', headers, status: 0 };
    log.push(entry);
    if (log.length > limit) log.shift();
    res.on('finish', () => {
      entry.status = res.statusCode;
    });
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const refuse = (code: string, message: string): void => {
      entry.refused = code;
      sendXml(res, STATUS[code] ?? 403, xmlError(code, message));
      req.resume();
    };
    // The distribution's keys read objects only; a missing key is 403 (no s3:ListBucket).
    const asReader = async (): Promise<void> => {
      const object = getObjectTarget(req.method ?? '', req.headers.host ?? '', target);
      if (!object) return refuse('AccessDenied', 'Access Denied (the distribution may only read objects)');
      const stamp = stampOf(object.bucket, object.key);
      if (stamp === undefined) return refuse('AccessDenied', 'Access Denied');
      const key = memo && plainReadKey(req.method ?? '', target, req.rawHeaders);
      if (memo && key) {
        const recorded = memo.lookup(key, stamp);
        if (recorded) {
          entry.remembered = true;
          return ReadMemo.replay(recorded, req.method ?? 'GET', res);
        }
        memo.record(key, stamp, res);
      }
      return app(req, res);
    };
    // The owner's keys do everything s3rver does, on a bucket with ACLs disabled.
    const asOwner = (): void => {
      if (memo && req.method !== 'GET' && req.method !== 'HEAD') res.once('close', memo.writeStarted());
      const acl = aclProblem(req.method ?? '', target, req.headers);
      if (acl) return refuse('AccessControlListNotSupported', acl);
      if (req.method === 'GET' && /[?&]ownershipControls(=|&|$)/.test(target)) return sendXml(res, 200, OWNERSHIP_XML);
      return app(req, res);
    };
    verifySigV4({ method: req.method ?? 'GET', path: q < 0 ? target : target.slice(0, q), query: parseQuery(q < 0 ? '' : target.slice(q + 1)), rawHeaders: req.rawHeaders }, keys)
      .then((v) => (!v.ok ? refuse(v.code, v.message) : v.accessKeyId === reader.accessKeyId ? asReader() : asOwner()))
      .catch((err: Error) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`gate error: ${err.message}`);
      });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new EdgelockError(`the embedded S3 cannot listen on 127.0.0.1:${options.port ?? 0}: ${err.code ?? err.message}; pick another port`, { code: 'DEV_START_FAILED', cause: err })),
    );
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    credentials,
    readerCredentials: reader,
    log,
    clearLog: () => {
      log.length = 0;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const c of [credentials, reader]) accounts.DUMMY_ACCOUNT.revokeAccessKey(c.accessKeyId);
      s3.logger.close();
      if (ownDir) rmSync(directory, { recursive: true, force: true });
    },
  };
}
