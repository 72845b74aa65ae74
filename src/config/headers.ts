/**
 * Security-header options. The defaults reach Mozilla HTTP Observatory A+ for a static site.
 */
import { z } from 'zod';
import { isDisallowedHeader, READ_ONLY_HEADERS } from '../edge/cloudfront/rules';
import { pathPatternSchema } from './paths';

/** @default the CSP sent when `contentSecurityPolicy` is not set */
export const DEFAULT_CSP =
  "default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'; upgrade-insecure-requests";

/** @default the Permissions-Policy sent when `permissionsPolicy` is not set */
export const DEFAULT_PERMISSIONS_POLICY =
  'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()';

export { DEFAULT_ORIGIN_HEADERS, KNOWN_S3_RESPONSE_HEADERS } from '../edge/cloudfront/origin-headers';

const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, { error: 'expected an HTTP header name' });
const headerValue = z.string().regex(/^[\x20-\x7e\t]*$/, { error: 'header values must be printable ASCII' });
const headerPattern = z
  .string()
  .regex(/^[a-z0-9!#$%&'+.^_`|~-]+\*?$/, { error: 'expected a lower-case header name, optionally ending in "*", e.g. "x-amz-meta-*"' });

const ONE_YEAR = 31_536_000;

const FRAMING_HEADERS = new Set([...READ_ONLY_HEADERS['origin-response'], ...READ_ONLY_HEADERS['viewer-response'], 'content-type', 'set-cookie']);

/** Why a custom response header cannot be set by an edge function, or undefined when it can. */
export function customHeaderProblem(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (isDisallowedHeader(lower)) {
    return `"${name}" is a header Lambda@Edge functions may not add (CloudFront would answer 502); remove it`;
  }
  if (FRAMING_HEADERS.has(lower)) return `"${name}" describes the response body and cannot be a fixed custom header; remove it`;
  return undefined;
}

export const hstsSchema = z
  .strictObject({
    /**
     * @default 63072000 (two years)
     */
    maxAge: z.number().int().min(0).default(2 * ONE_YEAR),
    /** @default true */
    includeSubDomains: z.boolean().default(true),
    /** Opt in to the browsers' preload list (needs includeSubDomains and a year or more). @default false */
    preload: z.boolean().default(false),
  })
  .refine((h) => !h.preload || (h.includeSubDomains && h.maxAge >= ONE_YEAR), {
    error: 'hsts.preload needs includeSubDomains: true and maxAge of at least 31536000 (one year)',
  });

export const headersSchema = z.strictObject({
  /** Strict-Transport-Security, or false to send none. */
  hsts: z.union([z.literal(false), hstsSchema]).default(hstsSchema.parse({})),
  /**
   * Content-Security-Policy, or false to send none.
   * @default DEFAULT_CSP
   */
  contentSecurityPolicy: z.union([z.literal(false), headerValue.min(1)]).default(DEFAULT_CSP),
  /** A different CSP for some paths; first match wins. */
  cspOverrides: z.array(z.strictObject({ path: pathPatternSchema, policy: headerValue.min(1) })).default([]),
  /** X-Frame-Options. @default 'DENY' */
  frameOptions: z.union([z.literal(false), z.enum(['DENY', 'SAMEORIGIN'])]).default('DENY'),
  /** X-Content-Type-Options: nosniff. @default true */
  contentTypeOptions: z.boolean().default(true),
  /** Referrer-Policy. @default 'strict-origin-when-cross-origin' */
  referrerPolicy: z
    .union([
      z.literal(false),
      z.enum(['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin', 'origin', 'origin-when-cross-origin', 'no-referrer-when-downgrade', 'unsafe-url']),
    ])
    .default('strict-origin-when-cross-origin'),
  /** Permissions-Policy. @default DEFAULT_PERMISSIONS_POLICY */
  permissionsPolicy: z.union([z.literal(false), headerValue.min(1)]).default(DEFAULT_PERMISSIONS_POLICY),
  /** Cross-Origin-Opener-Policy. @default 'same-origin' */
  crossOriginOpenerPolicy: z.union([z.literal(false), z.enum(['same-origin', 'same-origin-allow-popups', 'unsafe-none'])]).default('same-origin'),
  /** Cross-Origin-Resource-Policy. @default 'same-origin' */
  crossOriginResourcePolicy: z.union([z.literal(false), z.enum(['same-origin', 'same-site', 'cross-origin'])]).default('same-origin'),
  /** X-XSS-Protection: 0 (disables the legacy auditor, current advice). @default true */
  xssProtectionOff: z.boolean().default(true),
  /** Extra headers to add to every response. */
  custom: z
    .record(headerName, headerValue)
    .superRefine((custom, ctx) => {
      for (const name of Object.keys(custom)) {
        const problem = customHeaderProblem(name);
        if (problem) ctx.addIssue({ code: 'custom', path: [name], message: problem });
      }
    })
    .default({}),
  /**
   * Per header (lower-case name): keep a value the origin sent, or replace it with ours.
   * Headers not listed are replaced.
   */
  originValues: z.record(headerPattern, z.enum(['keep', 'replace'])).default({}),
  /**
   * Replaced by an allow-list: refused with a message saying so.
   * @deprecated origin headers not in DEFAULT_ORIGIN_HEADERS or `keepOriginHeaders` are always dropped
   */
  stripOriginHeaders: z
    .unknown()
    .optional()
    .superRefine((value, ctx) => {
      if (value !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message:
            'stripOriginHeaders is no longer used: origin-response now passes only an allow-list of origin headers (content-type, cache-control, etag…) and drops every other one, x-amz-* included; remove it, and list any origin header viewers need in keepOriginHeaders',
        });
      }
    }),
  /**
   * Origin headers to pass to viewers beyond DEFAULT_ORIGIN_HEADERS (lower-case names, or prefixes
   * ending in "*"), e.g. ["x-amz-meta-build", "access-control-*"].
   * @default []
   */
  keepOriginHeaders: z.array(headerPattern).default([]),
});

export type HeadersConfig = z.output<typeof headersSchema>;
