/**
 * Checks a Lambda@Edge handler result against the rules CloudFront enforces before it uses it.
 * A result that breaks one of them is a 502 (LambdaValidationError) for the viewer; this module
 * finds those mistakes in the build, the tests and the local edge instead. The rules: ./rules.ts.
 */

import { EdgelockError } from '../../errors';
import { GENERATED_RESPONSE_READ_ONLY_HEADERS, isDisallowedHeader, MAX_GENERATED_RESPONSE_BYTES, READ_ONLY_HEADERS } from './rules';
import { EVENT_TYPES, type EdgeEventType } from './types';

/** One broken rule: `rule` is a stable identifier, `message` says what is wrong and where. */
export interface LambdaEdgeProblem {
  rule: string;
  message: string;
}

const KB = 1024;
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// eslint-disable-next-line no-control-regex
const BAD_VALUE_CHARS = /[\x00\r\n]/;

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

class Collector {
  readonly problems: LambdaEdgeProblem[] = [];
  add(rule: string, message: string): void {
    this.problems.push({ rule, message });
  }
}

/** Header map format; returns the map's byte size (names and values). */
function checkHeaderMap(c: Collector, where: string, headers: unknown): number {
  if (headers === undefined) return 0;
  if (!isObject(headers)) {
    c.add('header-format', `${where}.headers must be an object mapping lower-case names to arrays of { key, value }`);
    return 0;
  }
  let bytes = 0;
  for (const [name, list] of Object.entries(headers)) {
    if (name !== name.toLowerCase()) c.add('header-format', `${where}.headers["${name}"]: map keys must be lower case ("${name.toLowerCase()}")`);
    if (!TOKEN.test(name.toLowerCase())) c.add('header-format', `${where}.headers["${name}"]: not a valid HTTP header name`);
    if (!Array.isArray(list)) {
      c.add('header-format', `${where}.headers["${name}"] must be an array of { key, value }`);
      continue;
    }
    list.forEach((h: unknown, i) => {
      const at = `${where}.headers["${name}"][${i}]`;
      if (!isObject(h)) {
        c.add('header-format', `${at} must be an object { key, value }`);
        return;
      }
      if (h.key !== undefined) {
        if (typeof h.key !== 'string') c.add('header-format', `${at}.key must be a string`);
        else if (h.key.toLowerCase() !== name) c.add('header-format', `${at}.key "${h.key}" does not match its map key "${name}"`);
      }
      if (typeof h.value !== 'string') {
        c.add('header-format', `${at}.value must be a string (got ${h.value === null ? 'null' : typeof h.value})`);
        return;
      }
      if (BAD_VALUE_CHARS.test(h.value)) c.add('header-format', `${at}.value contains CR, LF or NUL`);
      bytes += byteLength(typeof h.key === 'string' ? h.key : name) + byteLength(h.value) + 4;
    });
  }
  return bytes;
}

function checkDisallowed(c: Collector, where: string, headers: unknown): void {
  if (!isObject(headers)) return;
  for (const name of Object.keys(headers)) {
    if (isDisallowedHeader(name)) {
      c.add('disallowed-header', `${where}.headers["${name}"]: Lambda@Edge functions may not add this header`);
    }
  }
}

function headerValues(headers: unknown, name: string): string | undefined {
  if (!isObject(headers)) return undefined;
  const list = headers[name];
  return Array.isArray(list) ? JSON.stringify(list.map((h: unknown) => (isObject(h) ? h.value : h))) : undefined;
}

/** Read-only headers must come back exactly as they arrived (no add, change or delete). */
function checkReadOnly(c: Collector, eventType: EdgeEventType, where: string, headers: unknown, originalHeaders: unknown): void {
  for (const name of READ_ONLY_HEADERS[eventType]) {
    const before = headerValues(originalHeaders, name);
    const after = headerValues(headers, name);
    if (before !== after) {
      c.add('read-only-header', `${where}.headers["${name}"] is read-only in ${eventType} events: it must be returned unchanged`);
    }
  }
}

function checkGeneratedResponse(c: Collector, eventType: EdgeEventType, response: Obj, original: Obj | undefined): void {
  const where = 'response';
  const status = response.status;
  let code = NaN;
  if (typeof status !== 'string') {
    c.add('status', `response.status must be a string such as "200" (got ${status === undefined ? 'nothing' : typeof status})`);
  } else if (!/^\d{3}$/.test(status) || (code = Number(status)) < 200 || code > 599) {
    c.add('status', `response.status "${status}" must be a three-digit code from 200 to 599`);
  }
  if (response.statusDescription !== undefined && typeof response.statusDescription !== 'string') {
    c.add('result-shape', 'response.statusDescription must be a string');
  }
  const headerBytes = checkHeaderMap(c, where, response.headers);
  checkDisallowed(c, where, response.headers);

  const isResponseEvent = eventType.endsWith('-response');
  if (isResponseEvent && original) {
    checkReadOnly(c, eventType, where, response.headers, original.headers);
    if (eventType === 'viewer-response' && original.status !== undefined && response.status !== original.status) {
      c.add('status', `viewer-response functions may not change the status (${String(original.status)} → ${String(response.status)})`);
    }
  } else if (!isResponseEvent && isObject(response.headers)) {
    for (const name of GENERATED_RESPONSE_READ_ONLY_HEADERS) {
      if (name in response.headers) c.add('read-only-header', `response.headers["${name}"]: CloudFront sets this on generated responses; do not add it`);
    }
  }

  const body = response.body;
  let bodyBytes = 0;
  if (body !== undefined) {
    if (typeof body !== 'string') {
      c.add('result-shape', `response.body must be a string (got ${body === null ? 'null' : typeof body})`);
    } else {
      bodyBytes = byteLength(body);
      if (code === 204 && body.length > 0) c.add('no-content-body', 'a 204 response may not have a body (CloudFront answers 502)');
    }
  }
  const encoding = response.bodyEncoding;
  if (encoding !== undefined && encoding !== 'text' && encoding !== 'base64') {
    c.add('body-encoding', `response.bodyEncoding must be "text" or "base64" (got ${JSON.stringify(encoding)})`);
  } else if (encoding === 'base64' && typeof body === 'string' && !BASE64.test(body)) {
    c.add('body-encoding', 'response.bodyEncoding is "base64" but the body is not valid base64');
  }

  const limit = MAX_GENERATED_RESPONSE_BYTES[eventType];
  const total = headerBytes + bodyBytes + (typeof status === 'string' ? status.length : 0);
  if (total > limit) {
    c.add('response-size', `the response is ${total} bytes (headers + body), over the ${limit / KB} KB limit for ${eventType} functions`);
  }
}

function checkRequest(c: Collector, eventType: EdgeEventType, request: Obj, original: Obj | undefined): void {
  const where = 'request';
  if (typeof request.uri !== 'string' || !request.uri.startsWith('/')) {
    c.add('request-shape', `request.uri must be a string starting with "/" (got ${JSON.stringify(request.uri)})`);
  }
  if (typeof request.method !== 'string') c.add('request-shape', 'request.method must be a string');
  if (request.querystring !== undefined && typeof request.querystring !== 'string') {
    c.add('request-shape', 'request.querystring must be a string (without the leading "?")');
  }
  if (request.headers === undefined) c.add('header-format', 'request.headers is missing');
  checkHeaderMap(c, where, request.headers);
  checkDisallowed(c, where, request.headers);
  if (original) {
    checkReadOnly(c, eventType, where, request.headers, original.headers);
    if (original.method !== undefined && request.method !== original.method) {
      c.add('request-shape', `request.method is read-only (${String(original.method)} → ${String(request.method)})`);
    }
    if (original.clientIp !== undefined && request.clientIp !== original.clientIp) {
      c.add('request-shape', 'request.clientIp is read-only');
    }
  }
  if (request.origin !== undefined) {
    if (eventType !== 'origin-request') {
      if (original && JSON.stringify(original.origin) !== JSON.stringify(request.origin)) {
        c.add('request-shape', 'request.origin can only be changed in origin-request functions');
      }
    } else if (!isObject(request.origin)) {
      c.add('request-shape', 'request.origin must be an object with exactly one of "s3" or "custom"');
    } else {
      const kinds = ['s3', 'custom'].filter((k) => (request.origin as Obj)[k] !== undefined);
      if (kinds.length !== 1) c.add('request-shape', `request.origin must hold exactly one of "s3" or "custom" (has ${kinds.length ? kinds.join(' and ') : 'neither'})`);
    }
  }
}

/**
 * Checks what a handler returned for one event type. An empty array means CloudFront accepts it.
 *
 * Request events may return the request (possibly changed) or a generated response (an object
 * with `status`); response events must return a response. Pass the event's original request or
 * response as `original` to also check that read-only headers and fields were left unchanged.
 */
export function validateResult(eventType: EdgeEventType, result: unknown, original?: unknown): LambdaEdgeProblem[] {
  const c = new Collector();
  if (!EVENT_TYPES.includes(eventType)) {
    c.add('event-type', `unknown event type ${JSON.stringify(eventType)}; expected one of ${EVENT_TYPES.join(', ')}`);
    return c.problems;
  }
  if (!isObject(result)) {
    c.add('result-shape', `a ${eventType} function must return ${eventType.endsWith('-request') ? 'the request or a generated response' : 'the response'} (got ${result === null ? 'null' : Array.isArray(result) ? 'an array' : typeof result})`);
    return c.problems;
  }
  const orig = isObject(original) ? original : undefined;
  if (eventType.endsWith('-response')) {
    if (!('status' in result)) c.add('result-shape', `a ${eventType} function must return a response object (with "status"), not a request`);
    checkGeneratedResponse(c, eventType, result, orig);
  } else if ('status' in result) {
    checkGeneratedResponse(c, eventType, result, undefined);
  } else {
    checkRequest(c, eventType, result, orig);
  }
  return c.problems;
}

/** Thrown by {@link assertValidResult}: lists every broken rule. */
export class LambdaEdgeValidationError extends EdgelockError {
  override name = 'LambdaEdgeValidationError';
  /** What CloudFront answers the viewer when a function returns such a result. */
  readonly status = 502;
  constructor(
    readonly eventType: EdgeEventType,
    readonly problems: readonly LambdaEdgeProblem[],
  ) {
    super(`CloudFront would reject this ${eventType} result (502):\n${problems.map((p) => `  - [${p.rule}] ${p.message}`).join('\n')}`, { code: 'LAMBDA_EDGE_INVALID_RESULT' });
  }
}

/** Throws a {@link LambdaEdgeValidationError} naming every problem when the result is invalid. */
export function assertValidResult(eventType: EdgeEventType, result: unknown, original?: unknown): void {
  const problems = validateResult(eventType, result, original);
  if (problems.length > 0) throw new LambdaEdgeValidationError(eventType, problems);
}
