/**
 * A loopback HTTP proxy that fails a share of requests: 500 InternalError, 503 SlowDown, or a
 * dropped connection. Deterministic (seeded), and it records what it did.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = 'ok' | '500' | '503' | 'drop';

export interface FaultProxy {
  readonly endpoint: string;
  readonly counts: Record<Fault, number>;
  /** Every request seen, in arrival order: "PUT /bucket/key". */
  readonly log: string[];
  /** The most requests that were in flight at once (reset with `resetInFlight`). */
  readonly maxInFlight: number;
  resetInFlight(): void;
  /** Share of requests to fail from now on (0..1). */
  setRate(rate: number): void;
  /** Fail every request whose path matches (e.g. one object key), whatever the rate. */
  failAlways(pattern: RegExp | undefined): void;
  stop(): Promise<void>;
}

const S3_ERROR = (code: string, message: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>FAULT</RequestId></Error>`;

export async function startFaultProxy(target: string, options: { rate: number; seed?: number }): Promise<FaultProxy> {
  const upstream = new URL(target);
  let rate = options.rate;
  let always: RegExp | undefined;
  let seed = options.seed ?? 42;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const counts: Record<Fault, number> = { ok: 0, '500': 0, '503': 0, drop: 0 };
  const kinds: Fault[] = ['500', '503', 'drop'];
  const log: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;

  const server = http.createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let done = false;
    const finish = (): void => {
      if (!done) inFlight--;
      done = true;
    };
    res.on('close', finish);
    const forced = always?.test(req.url ?? '') ?? false;
    const fault: Fault = forced ? '503' : random() < rate ? kinds[Math.floor(random() * kinds.length)]! : 'ok';
    counts[fault]++;
    log.push(`${req.method} ${decodeURIComponent((req.url ?? '').split('?')[0]!)}`);
    if (fault === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault !== 'ok') {
      req.resume();
      req.on('end', () => {
        const body = fault === '500' ? S3_ERROR('InternalError', 'We encountered an internal error. Please try again.') : S3_ERROR('SlowDown', 'Please reduce your request rate.');
        res.writeHead(Number(fault), { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
      return;
    }
    const up = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', () => req.socket.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    log,
    get maxInFlight() {
      return maxInFlight;
    },
    resetInFlight() {
      maxInFlight = inFlight;
    },
    setRate(r) {
      rate = r;
    },
    failAlways(p) {
      always = p;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
