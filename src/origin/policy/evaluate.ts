/**
 * A small evaluator for resource policies (bucket policies, KMS key policies, SCPs, RCPs) against
 * one request: who asks (the CloudFront principal), for what action, on which resource, with which
 * request context. It answers per statement `yes`, `no` or `unknown` (a condition it cannot
 * evaluate), and per policy the effective outcome, so the doctor can name the statements that
 * matter and be honest about the ones it cannot decide. It reads the same {@link PolicyDocument}
 * type the builders in this folder produce, so a built policy can be checked as it stands.
 *
 * Not a full IAM engine: no policy variables, no numeric/date/IP operators (they come back as
 * unknown), no session policies or permission boundaries.
 */

import { EdgelockError } from '../../errors';
import type { PolicyDocument, Statement } from './types';

/** The request being evaluated. */
export interface EvalRequest {
  readonly action: string;
  readonly resource: string;
  readonly principal: EvalPrincipal;
  /** Context keys (lower-case names) with their values. */
  readonly context: Readonly<Record<string, readonly string[]>>;
  /**
   * Keys (lower-case, `*` wildcards allowed) known to be absent from the request. A condition on
   * a key that is neither in `context` nor here is `unknown`: the doctor does not guess.
   */
  readonly absentKeys?: readonly string[];
}

/** The principal, as each kind of `Principal` element could name it. */
export interface EvalPrincipal {
  readonly service?: string;
  readonly aws?: readonly string[];
  readonly canonicalUser?: string;
}

export type Match = 'yes' | 'no' | 'unknown';

export interface StatementResult {
  readonly index: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly match: Match;
  /** Why it does not match, or which condition could not be evaluated. */
  readonly reason: string;
  readonly statement: Statement;
}

export interface PolicyResult {
  /** allow: an Allow matches and no Deny can; deny: a Deny matches; none: no Allow can match; unknown: an Allow may match but a Deny or the Allow is undecided. */
  readonly outcome: 'allow' | 'deny' | 'none' | 'unknown';
  readonly statements: readonly StatementResult[];
}

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** Parses a policy JSON string; throws an {@link EdgelockError} naming the policy when it is not one. */
export function parsePolicy(json: string, what: string): PolicyDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (err) {
    throw new EdgelockError(`${what} is not valid JSON: ${(err as Error).message}`, { code: 'AWS_ERROR' });
  }
  const st = (doc as { Statement?: unknown })?.Statement;
  if (st === undefined) throw new EdgelockError(`${what} has no Statement`, { code: 'AWS_ERROR' });
  return { ...(doc as object), Statement: (Array.isArray(st) ? st : [st]) as Statement[] };
}

/** IAM wildcard match: `*` any run, `?` one character; case-sensitive unless told otherwise. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  const id = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let re = PATTERNS.get(id);
  if (!re) {
    re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, ignoreCase ? 'is' : 's');
    // A policy has few patterns; the cap keeps a long run's memory flat whatever it evaluates.
    if (PATTERNS.size >= 1024) PATTERNS.clear();
    PATTERNS.set(id, re);
  }
  return re.test(value);
}

/** Compiled wildcard patterns: a sweep evaluates the same policy for every object. */
const PATTERNS = new Map<string, RegExp>();

function principalMatches(element: unknown, p: EvalPrincipal): boolean {
  if (element === '*') return true;
  if (!element || typeof element !== 'object') return false;
  const e = element as Record<string, unknown>;
  for (const s of list(e.Service)) if (p.service && s === p.service) return true;
  for (const a of list(e.AWS)) {
    if (a === '*') return true;
    if (p.aws?.some((x) => x === a)) return true;
  }
  for (const c of list(e.CanonicalUser)) if (p.canonicalUser && c === p.canonicalUser) return true;
  return false;
}

/** Evaluates one condition block operator against the request. */
function conditionMatches(rawOp: string, block: Record<string, unknown>, req: EvalRequest): { match: Match; reason: string } {
  let op = rawOp;
  let setMode: 'any' | 'all' | undefined;
  if (/^ForAnyValue:/i.test(op)) {
    setMode = 'any';
    op = op.slice('ForAnyValue:'.length);
  } else if (/^ForAllValues:/i.test(op)) {
    setMode = 'all';
    op = op.slice('ForAllValues:'.length);
  }
  const ifExists = /IfExists$/.test(op);
  if (ifExists) op = op.slice(0, -'IfExists'.length);

  for (const [rawKey, rawValues] of Object.entries(block)) {
    const key = rawKey.toLowerCase();
    const wanted = list(rawValues);
    const actual = req.context[key];
    if (actual === undefined && !req.absentKeys?.some((k) => wildcardMatch(k, key))) {
      return { match: 'unknown', reason: `${rawOp} on ${rawKey}: edgelock cannot know its value for this request` };
    }
    if (op === 'Null') {
      const wantNull = wanted[0] === 'true';
      if ((actual === undefined) !== wantNull) return { match: 'no', reason: `Null ${rawKey}=${wanted[0]} is false` };
      continue;
    }
    const test = operatorTest(op);
    if (!test) return { match: 'unknown', reason: `operator ${rawOp} is not evaluated by edgelock` };
    if (actual === undefined || actual.length === 0) {
      // IAM: an absent key makes a condition false, except IfExists (true), ForAllValues (true
      // over the empty set) and negated operators such as StringNotEquals (true).
      if (ifExists || setMode === 'all' || (test.negated && setMode !== 'any')) continue;
      return { match: 'no', reason: `${rawOp}: ${rawKey} is not present in the request` };
    }
    const one = (v: string) => test.positive(wanted, v);
    let ok: boolean;
    if (test.negated) {
      // Negated operators: true when the value matches none of the listed values.
      ok = setMode === 'any' ? actual.some((v) => !one(v)) : actual.every((v) => !one(v));
    } else {
      ok = setMode === 'all' ? actual.every(one) : actual.some(one);
    }
    if (!ok) return { match: 'no', reason: `${rawOp} ${rawKey} ${JSON.stringify(wanted)} is false for ${JSON.stringify(actual)}` };
  }
  return { match: 'yes', reason: '' };
}

function operatorTest(op: string): { negated: boolean; positive: (wanted: string[], v: string) => boolean } | undefined {
  const eq = (w: string[], v: string) => w.includes(v);
  const eqi = (w: string[], v: string) => w.some((x) => x.toLowerCase() === v.toLowerCase());
  const like = (w: string[], v: string) => w.some((x) => wildcardMatch(x, v));
  const bool = (w: string[], v: string) => w.some((x) => x.toLowerCase() === v.toLowerCase());
  switch (op) {
    case 'StringEquals': return { negated: false, positive: eq };
    case 'StringNotEquals': return { negated: true, positive: eq };
    case 'StringEqualsIgnoreCase': return { negated: false, positive: eqi };
    case 'StringNotEqualsIgnoreCase': return { negated: true, positive: eqi };
    case 'StringLike': return { negated: false, positive: like };
    case 'StringNotLike': return { negated: true, positive: like };
    case 'ArnEquals': case 'ArnLike': return { negated: false, positive: like };
    case 'ArnNotEquals': case 'ArnNotLike': return { negated: true, positive: like };
    case 'Bool': return { negated: false, positive: bool };
    default: return undefined;
  }
}

/** Does one statement apply to the request? */
export function evaluateStatement(st: Statement, req: EvalRequest, index = 0): StatementResult {
  const base = { index, effect: st.Effect, statement: st, ...(st.Sid ? { sid: st.Sid } : {}) };
  const no = (reason: string): StatementResult => ({ ...base, match: 'no', reason });
  if (st.Principal !== undefined && !principalMatches(st.Principal, req.principal)) return no('Principal does not name this principal');
  if (st.NotPrincipal !== undefined && principalMatches(st.NotPrincipal, req.principal)) return no('NotPrincipal excludes this principal');
  if (st.Action !== undefined && !list(st.Action).some((a) => wildcardMatch(a, req.action, true))) return no(`Action does not cover ${req.action}`);
  if (st.NotAction !== undefined && list(st.NotAction).some((a) => wildcardMatch(a, req.action, true))) return no(`NotAction excludes ${req.action}`);
  if (st.Resource !== undefined && !list(st.Resource).some((r) => wildcardMatch(r, req.resource))) return no(`Resource does not cover ${req.resource}`);
  if (st.NotResource !== undefined && list(st.NotResource).some((r) => wildcardMatch(r, req.resource))) return no(`NotResource excludes ${req.resource}`);
  let unknown: string | undefined;
  for (const [op, block] of Object.entries(st.Condition ?? {})) {
    const r = conditionMatches(op, block as Record<string, unknown>, req);
    if (r.match === 'no') return no(r.reason);
    if (r.match === 'unknown') unknown ??= r.reason;
  }
  return unknown ? { ...base, match: 'unknown', reason: unknown } : { ...base, match: 'yes', reason: '' };
}

/** Evaluates a whole policy: explicit deny wins, then allow. */
export function evaluatePolicy(doc: PolicyDocument, req: EvalRequest): PolicyResult {
  const statements = doc.Statement.map((st, i) => evaluateStatement(st, req, i));
  const denies = statements.filter((s) => s.effect === 'Deny');
  const allows = statements.filter((s) => s.effect === 'Allow');
  let outcome: PolicyResult['outcome'];
  if (denies.some((s) => s.match === 'yes')) outcome = 'deny';
  // Nothing can grant: refused whatever the undecided Denies say.
  else if (!allows.some((s) => s.match !== 'no')) outcome = 'none';
  else if (denies.some((s) => s.match === 'unknown') || !allows.some((s) => s.match === 'yes')) outcome = 'unknown';
  else outcome = 'allow';
  return { outcome, statements };
}

/** A statement, shortened for a report line. */
export function describeStatement(s: StatementResult): string {
  return `statement ${s.sid ? `"${s.sid}"` : `#${s.index + 1}`} (${s.effect})`;
}
