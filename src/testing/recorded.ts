/**
 * Recorded CloudFront events, shipped with the package: each trigger's documented shape, one file
 * per origin kind (./recorded/README.md says where each shape comes from). Every accessor returns
 * a fresh deep copy, so a test may change what it gets.
 */
import type { CfEvent } from '../edge/cloudfront';
import { EdgelockError } from '../errors';
import originRequestCustom from './recorded/origin-request-custom.json';
import originRequestS3None from './recorded/origin-request-s3-none.json';
import originRequestS3Oai from './recorded/origin-request-s3-oai.json';
import originRequestS3Website from './recorded/origin-request-s3-website.json';
import originResponse200 from './recorded/origin-response-200.json';
import originResponse403 from './recorded/origin-response-403.json';
import originResponse404 from './recorded/origin-response-404.json';
import viewerRequest from './recorded/viewer-request.json';
import viewerRequestAuthorization from './recorded/viewer-request-authorization.json';
import viewerRequestQuerystringCookies from './recorded/viewer-request-querystring-cookies.json';

const FILES = {
  'viewer-request': viewerRequest,
  'viewer-request-authorization': viewerRequestAuthorization,
  'viewer-request-querystring-cookies': viewerRequestQuerystringCookies,
  'origin-request-s3-oai': originRequestS3Oai,
  'origin-request-s3-none': originRequestS3None,
  'origin-request-custom': originRequestCustom,
  'origin-request-s3-website': originRequestS3Website,
  'origin-response-200': originResponse200,
  'origin-response-403': originResponse403,
  'origin-response-404': originResponse404,
} as const;

/** The name of a recorded event (its file name without `.json`). */
export type RecordedEventName = keyof typeof FILES;

export const RECORDED_EVENT_NAMES = Object.freeze(Object.keys(FILES) as RecordedEventName[]);

/** A fresh deep copy of a recorded event. */
export function loadRecorded(name: RecordedEventName): CfEvent {
  if (!Object.prototype.hasOwnProperty.call(FILES, name)) {
    throw new EdgelockError(`no recorded event "${String(name)}"; the recorded events are: ${RECORDED_EVENT_NAMES.join(', ')}`, { code: 'USAGE' });
  }
  return structuredClone(FILES[name]) as unknown as CfEvent;
}

/** Typed accessors for the recorded events. */
export const recorded = Object.freeze({
  names: RECORDED_EVENT_NAMES,
  load: loadRecorded,
  /** AWS's example viewer request, unchanged (no credentials). */
  viewerRequest: (): CfEvent => loadRecorded('viewer-request'),
  /** A viewer request with `Authorization: Basic` for demo:edgelock-demo (the example's user) and a directory URI. */
  viewerRequestWithAuthorization: (): CfEvent => loadRecorded('viewer-request-authorization'),
  /** A query string, two cookies, two accept-language values, an IPv6 client and an encoded URI. */
  viewerRequestWithQuerystringAndCookies: (): CfEvent => loadRecorded('viewer-request-querystring-cookies'),
  /** An origin request to an S3 origin, by how the distribution reaches it. */
  originRequest: (origin: 'oac' | 'oai' | 'custom' | 'website' = 'oac'): CfEvent =>
    loadRecorded(({ oac: 'origin-request-s3-none', oai: 'origin-request-s3-oai', custom: 'origin-request-custom', website: 'origin-request-s3-website' } as const)[origin]),
  /** S3's answer: a 200 GetObject, an AccessDenied 403 or a NoSuchKey 404. */
  originResponse: (status: 200 | 403 | 404 = 200): CfEvent =>
    loadRecorded(({ 200: 'origin-response-200', 403: 'origin-response-403', 404: 'origin-response-404' } as const)[status]),
});
