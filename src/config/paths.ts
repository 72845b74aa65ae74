import { z } from 'zod';

/**
 * A URL path pattern: an exact path ("/health") or a prefix ending in "/*" ("/.well-known/*").
 * Matched against the normalised request path.
 */
export const pathPatternSchema = z
  .string()
  .regex(/^\/[^*?#\s\\]*(\/\*)?$|^\/\*$/, {
    error: 'expected a path pattern such as "/health" or "/.well-known/*" ("*" only as a final "/*")',
  })
  .refine((p) => !/(^|\/)\.\.?(\/|$)/.test(p.replace(/\/\*$/, '/')) && !p.includes('//') && !p.includes('%'), {
    error: 'path patterns are matched against the normalised path: write them without "//", "." or ".." segments or %-escapes',
  });

