/**
 * Origins the local edge can fetch from: the embedded S3 (requests signed with SigV4, addressed
 * virtual-host style to the bucket domain in the request's origin object, exactly as CloudFront
 * sends them) or a plain folder answering like a private S3 bucket.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { contentType } from 'mime-types';
import type { CfHeaders } from '../edge/headers';
import type { CfS3Origin } from '../edge/cloudfront';
import { EdgelockError } from '../errors';
import { toCfHeaders } from './event';
import { EMPTY_SHA256, parseQuery, signS3Request, type Credentials } from './sigv4';

export interface OriginRequest {
  readonly method: string;
  readonly uri: string;
  readonly querystring: string;
  readonly headers: CfHeaders;
  readonly origin: CfS3Origin | Record<string, unknown> | undefined;
  readonly body?: Buffer;
}

export interface OriginResponse {
  readonly status: number;
  readonly statusDescription: string;
  readonly headers: CfHeaders;
  readonly body: Buffer;
}

export interface Origin {
  /** Shown in the start-up banner. */
  readonly description: string;
  fetch(req: OriginRequest): Promise<OriginResponse>;
}

/** Hop-by-hop headers: never forwarded, in either direction. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** An origin CloudFront could not use: it answers 502 to the viewer. */
/** The local edge's origin failed: the viewer gets a 502, the log gets this message. */
export class OriginError extends EdgelockError {
  override name = 'OriginError';
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'ORIGIN_ERROR', cause });
  }
}

function s3Of(origin: OriginRequest['origin']): CfS3Origin['s3'] {
  const s3 = (origin as CfS3Origin | undefined)?.s3;
  if (!s3 || typeof s3.domainName !== 'string') throw new OriginError('the request has no S3 origin (origin.s3.domainName)');
  return s3;
}

/** The region in an S3 REST endpoint name ("b.s3.eu-west-1.amazonaws.com"); us-east-1 for the global one. */
export function regionOfDomain(domain: string): string {
  return /\.s3[.-]([a-z0-9-]+)\.amazonaws\.com$/.exec(domain)?.[1] ?? 'us-east-1';
}

export interface S3OriginOptions {
  /** Where the embedded S3 listens, e.g. "http://127.0.0.1:41234". */
  readonly endpoint: string;
  readonly credentials: Credentials;
  /**
   * OAC signing behaviour. "always" replaces any Authorization header; "no-override" forwards a
   * viewer's Authorization header unsigned, as CloudFront does, so a leaked header reaches S3.
   * @default 'no-override'
   */
  readonly signing?: 'always' | 'no-override';
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** The embedded S3 as the origin, reached with signed requests to the bucket's domain name. */
export function s3Origin(options: S3OriginOptions): Origin {
  const url = new URL(options.endpoint);
  const signing = options.signing ?? 'no-override';
  return {
    description: `embedded S3 at ${options.endpoint} (SigV4-signed origin requests)`,
    async fetch(req) {
      const s3 = s3Of(req.origin);
      const headers: Record<string, string> = {};
      for (const [name, list] of Object.entries(req.headers)) {
        if (HOP_BY_HOP.has(name) || name === 'host' || name === 'content-length' || !list?.length) continue;
        headers[name] = list.map((h) => h.value).join(',');
      }
      const pathName = `${s3.path ?? ''}${req.uri}`;
      const body = req.body && req.body.length > 0 ? req.body : undefined;
      if (body) headers['content-length'] = String(body.length);
      if (signing === 'always' || headers.authorization === undefined) {
        delete headers.authorization;
        const payload = body ? createHash('sha256').update(body).digest('hex') : EMPTY_SHA256;
        Object.assign(
          headers,
          await signS3Request(
            { method: req.method, host: s3.domainName, path: pathName, query: parseQuery(req.querystring), headers, payloadSha256: payload },
            options.credentials,
            regionOfDomain(s3.domainName),
          ),
        );
      }
      headers.host = s3.domainName;
      const target = req.querystring ? `${pathName}?${req.querystring}` : pathName;
      return new Promise<OriginResponse>((resolve, reject) => {
        const r = http.request(
          { host: url.hostname, port: url.port, method: req.method, path: target, headers, agent },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('error', reject);
            res.on('end', () => {
              const h = toCfHeaders(res.rawHeaders);
              for (const name of HOP_BY_HOP) delete h[name];
              resolve({ status: res.statusCode ?? 502, statusDescription: res.statusMessage ?? '', headers: h, body: Buffer.concat(chunks) });
            });
          },
        );
        r.on('error', (err) => reject(new OriginError(`cannot reach the origin ${s3.domainName} at ${options.endpoint}: ${err.message}`, err)));
        r.end(body);
      });
    },
  };
}

function s3Error(status: number, code: string, message: string): OriginResponse {
  const body = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`);
  return {
    status,
    statusDescription: http.STATUS_CODES[status] ?? '',
    headers: toCfHeaders(['Content-Type', 'application/xml', 'Content-Length', String(body.length), 'Server', 'AmazonS3']),
    body,
  };
}

/**
 * A folder as the origin, answering like a private S3 bucket read by its distribution: GET and
 * HEAD of existing files; 403 AccessDenied for a missing key (no s3:ListBucket); the key is the
 * decoded path, never resolved outside the folder.
 */
export function directoryOrigin(root: string): Origin {
  const base = path.resolve(root);
  return {
    description: `folder ${base}`,
    async fetch(req) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return s3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
      let key: string;
      try {
        key = decodeURIComponent(req.uri).replace(/^\//, '');
      } catch {
        return s3Error(400, 'InvalidURI', 'Couldn\'t parse the specified URI.');
      }
      const file = path.resolve(base, key);
      if (key === '' || key.endsWith('/') || key.includes('\0') || !file.startsWith(base + path.sep)) return s3Error(403, 'AccessDenied', 'Access Denied');
      try {
        const st = await stat(file);
        if (!st.isFile()) return s3Error(403, 'AccessDenied', 'Access Denied');
        const data = await readFile(file);
        const etag = `"${createHash('md5').update(data).digest('hex')}"`;
        const type = contentType(path.extname(file)) || 'application/octet-stream';
        const headers = toCfHeaders([
          'Content-Type', type,
          'Content-Length', String(data.length),
          'ETag', etag,
          'Last-Modified', st.mtime.toUTCString(),
          'Accept-Ranges', 'bytes',
          'Server', 'AmazonS3',
        ]);
        return { status: 200, statusDescription: 'OK', headers, body: req.method === 'HEAD' ? Buffer.alloc(0) : data };
      } catch {
        return s3Error(403, 'AccessDenied', 'Access Denied');
      }
    },
  };
}
