/**
 * The site parameter each environment stack publishes in SSM (`/edgelock/<project>/<env>/site`):
 * bucket, region, distribution ID and domain. The deploy function reads it with the environment's
 * deploy role, so a config built before the distribution existed still invalidates and probes.
 *
 * One SSM call does not justify another SDK client in the bundle: the request is signed with the
 * SDK's own SigV4 signer (@smithy/signature-v4) and sent with fetch.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, SourceData } from '@smithy/types';
import { EdgelockError } from '../../errors';

export interface SiteParameter {
  readonly bucket?: string;
  readonly region?: string;
  readonly distributionId?: string;
  readonly distributionDomainName?: string;
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** SHA-256 (or HMAC-SHA-256 with a secret) in the shape the signer expects. */
class NodeSha256 {
  private hash: Hash | Hmac;
  private readonly secret?: Buffer;
  constructor(secret?: SourceData) {
    if (secret !== undefined) this.secret = toBuffer(secret);
    this.hash = this.make();
  }
  private make(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', this.secret);
  }
  update(data: SourceData): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.make();
  }
}

export async function readSiteParameter(
  name: string,
  options: { region: string; credentials: AwsCredentialIdentity; fetchImpl?: typeof fetch },
): Promise<SiteParameter> {
  const hostname = `ssm.${options.region}.amazonaws.com`;
  const body = JSON.stringify({ Name: name });
  const signer = new SignatureV4({ service: 'ssm', region: options.region, credentials: options.credentials, sha256: NodeSha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'https:',
    hostname,
    path: '/',
    query: {},
    headers: { host: hostname, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonSSM.GetParameter' },
    body,
  });
  let status = 0;
  let text = '';
  try {
    const res = await (options.fetchImpl ?? fetch)(`https://${hostname}/`, { method: 'POST', headers: signed.headers as Record<string, string>, body });
    status = res.status;
    text = await res.text();
  } catch (err) {
    throw new EdgelockError(`could not read the site parameter ${name} in ${options.region}: ${(err as Error).message}`, { cause: err });
  }
  let parsed: { Parameter?: { Value?: string }; __type?: string; message?: string };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    parsed = {};
  }
  if (status !== 200) {
    const code = (parsed.__type ?? '').split('#').pop() || `HTTP ${status}`;
    throw new EdgelockError(
      `could not read the site parameter ${name} in ${options.region}: ${code}${parsed.message ? `: ${parsed.message}` : ''}. ` +
        'It is written by the environment stack (cdktf deploy) and read with the deploy role; deploy that stack first.',
    );
  }
  try {
    return JSON.parse(parsed.Parameter?.Value ?? '') as SiteParameter;
  } catch {
    throw new EdgelockError(`the site parameter ${name} does not hold JSON; it is written by the environment stack: redeploy that stack`);
  }
}
