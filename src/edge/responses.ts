/**
 * Responses the handlers generate themselves (401, 400, 405, fail-closed): small HTML bodies,
 * never cached, always carrying the security headers.
 */
import type { CloudFrontResultResponse } from 'aws-lambda';
import type { HeaderPair, SecurityHeaders } from './security-headers';

const REASONS: Readonly<Record<string, string>> = {
  '400': 'Bad Request',
  '401': 'Unauthorized',
  '404': 'Not Found',
  '405': 'Method Not Allowed',
  '502': 'Bad Gateway',
};

/** A minimal HTML page; `title` and `text` are fixed strings from the handlers, never user input. */
export function htmlPage(title: string, text: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>\n`;
}

export interface GeneratedResponse {
  (path: string, extra?: readonly HeaderPair[]): CloudFrontResultResponse;
}

/** Prepares a generated response once; each call returns a fresh object for `path`'s headers. */
export function generatedResponse(security: SecurityHeaders, status: string, text: string, headers: readonly HeaderPair[] = []): GeneratedResponse {
  const reason = REASONS[status] ?? 'Error';
  const body = htmlPage(`${status} ${reason}`, text);
  const fixed: HeaderPair[] = [['Content-Type', 'text/html; charset=utf-8'], ['Cache-Control', 'no-store'], ...headers];
  return (path, extra = []) => ({
    status,
    statusDescription: reason,
    headers: security.forGenerated(path, extra.length ? [...fixed, ...extra] : fixed),
    body,
    bodyEncoding: 'text',
  });
}
