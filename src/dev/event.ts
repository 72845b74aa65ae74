/**
 * Socket ↔ event conversion: Node's raw request into CloudFront's header map and request target,
 * and a handler's header map back into what Node writes. The event shapes themselves, and their
 * builders, are the CloudFront contract in src/edge/cloudfront.
 */
import { appendHeader } from '../edge/headers';
import type { CfHeaders } from '../edge/cloudfront';

/**
 * Turns Node's raw header list (name, value, name, value, ...) into CloudFront's map. The `key`
 * keeps the case the viewer sent, as CloudFront does.
 */
export function toCfHeaders(rawHeaders: readonly string[]): CfHeaders {
  const headers: CfHeaders = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) appendHeader(headers, rawHeaders[i]!, rawHeaders[i + 1]!);
  return headers;
}

/** CloudFront's map back to Node's `{ name: value | value[] }` for writeHead or a request. */
export function fromCfHeaders(headers: CfHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, list] of Object.entries(headers)) {
    if (!list || list.length === 0) continue;
    const key = list[0]!.key ?? name;
    out[key] = list.length === 1 ? list[0]!.value : list.map((h) => h.value);
  }
  return out;
}

/**
 * Splits a request target into CloudFront's `uri` and `querystring` (without the "?"). The uri is
 * passed on as the viewer sent it: CloudFront does not normalise it, which is why the guard must.
 */
export function splitTarget(target: string): { uri: string; querystring: string } {
  const q = target.indexOf('?');
  const raw = q < 0 ? target : target.slice(0, q);
  return { uri: raw.startsWith('/') ? raw : `/${raw}`, querystring: q < 0 ? '' : target.slice(q + 1) };
}
