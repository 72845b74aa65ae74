/**
 * The viewer side of the local edge: an HTTP or HTTPS server on loopback that reads each request,
 * hands it to the {@link LocalEdge} and writes back what it answers. With TLS, a second plain HTTP
 * listener redirects every request to https (301), so HSTS and the redirect are real.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { EdgelockError } from '../errors';
import type { LocalEdge } from './edge';
import { fromCfHeaders } from './event';

export interface TlsOptions {
  readonly key: string;
  readonly cert: string;
  /** Port of the plain-HTTP listener that redirects to https; 0 picks a free one. */
  readonly redirectPort: number;
  /** The oldest TLS version accepted, as the deployed distribution's security policy has it. @default 'TLSv1.2' */
  readonly minVersion?: 'TLSv1' | 'TLSv1.2';
}

export interface DevServerOptions {
  readonly edge: LocalEdge;
  /** 0 picks a free port. */
  readonly port: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  readonly tls?: TlsOptions;
  /** Largest request body accepted. @default 1 MiB (CloudFront forwards more; static sites need none) */
  readonly maxBodyBytes?: number;
  /** One line per request answered: status, method, path, x-cache, milliseconds. */
  readonly accessLog?: (line: string) => void;
}

export interface DevServer {
  /** The site's URL, e.g. "https://localhost:8787". */
  readonly url: string;
  readonly port: number;
  /** The redirecting http URL when TLS is on. */
  readonly redirectUrl?: string;
  readonly redirectPort?: number;
  close(): Promise<void>;
}

/** Node's own header limit, above CloudFront's 20,480 bytes so the edge answers as CloudFront does. */
const MAX_HEADER_SOCKET_BYTES = 64 * 1024;

function listen(server: http.Server, port: number, host: string, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void =>
      reject(new EdgelockError(`the local edge cannot listen on ${host}:${port} (${what}): ${err.code === 'EADDRINUSE' ? 'the port is in use; pick another with --port' : err.message}`, { code: 'DEV_START_FAILED', cause: err }));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function clientIp(req: http.IncomingMessage): string {
  return (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
}

/** Starts the viewer-facing server(s). */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const host = options.host ?? '127.0.0.1';
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBody) tooLarge = true;
      else chunks.push(c);
    });
    const started = performance.now();
    req.on('end', () => {
      if (tooLarge) {
        res.writeHead(413, { 'content-type': 'text/plain' }).end('request body too large for the local edge\n');
        return;
      }
      void options.edge
        .handle({ clientIp: clientIp(req), method: req.method ?? 'GET', target: req.url ?? '/', rawHeaders: req.rawHeaders, ...(size ? { body: Buffer.concat(chunks) } : {}) })
        .then((r) => {
          const headers = fromCfHeaders(r.headers);
          let declaredLength: string | string[] | undefined;
          for (const name of Object.keys(headers)) {
            if (/^content-length$/i.test(name)) declaredLength = headers[name];
            if (/^(content-length|transfer-encoding|connection|keep-alive)$/i.test(name)) delete headers[name];
          }
          const noBody = r.status === 204 || r.status === 304 || (r.status >= 100 && r.status < 200);
          // A HEAD answer has no body but tells the length of the object (from the origin).
          const headLength = req.method === 'HEAD' && r.body.length === 0 && typeof declaredLength === 'string' ? declaredLength : undefined;
          if (!noBody) headers['Content-Length'] = headLength ?? String(r.body.length);
          res.writeHead(r.status, r.statusDescription || undefined, headers);
          res.end(noBody || req.method === 'HEAD' ? undefined : r.body);
          options.accessLog?.(`${r.status} ${req.method} ${req.url} ${r.cache} ${(performance.now() - started).toFixed(1)} ms`);
        })
        .catch((err: Error) => {
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`local edge error: ${err.message}\n`);
        });
    });
  };

  const servers: http.Server[] = [];
  try {
    if (!options.tls) {
      const server = http.createServer({ keepAliveTimeout: 5_000, maxHeaderSize: MAX_HEADER_SOCKET_BYTES }, onRequest);
      servers.push(server);
      const port = await listen(server, options.port, host, 'http');
      return { url: `http://localhost:${port}`, port, close: () => Promise.all(servers.map(close)).then(() => undefined) };
    }
    const minVersion = options.tls.minVersion ?? 'TLSv1.2';
    // OpenSSL 3 refuses TLS 1.0 and 1.1 at its default security level: the default certificate's
    // TLSv1 policy accepts them, so the emulator lowers the level to offer what CloudFront would.
    const legacy = minVersion === 'TLSv1' ? { ciphers: 'DEFAULT@SECLEVEL=0' } : {};
    const secure = https.createServer({ key: options.tls.key, cert: options.tls.cert, minVersion, ...legacy, keepAliveTimeout: 5_000, maxHeaderSize: MAX_HEADER_SOCKET_BYTES }, onRequest);
    servers.push(secure);
    const port = await listen(secure, options.port, host, 'https');
    const redirect = http.createServer((req, res) => {
      const hostname = (req.headers.host ?? 'localhost').replace(/:\d+$/, '');
      const location = `https://${hostname}${port === 443 ? '' : `:${port}`}${req.url ?? '/'}`;
      // CloudFront's redirect-to-https: 301 for GET and HEAD, 307 (method and body kept) for the rest.
      const status = req.method === 'GET' || req.method === 'HEAD' ? 301 : 307;
      res.writeHead(status, { location, 'content-type': 'text/plain', 'content-length': '0' }).end();
      req.resume();
    });
    servers.push(redirect);
    const redirectPort = await listen(redirect, options.tls.redirectPort, host, 'http redirect');
    return {
      url: `https://localhost:${port}`,
      port,
      redirectUrl: `http://localhost:${redirectPort}`,
      redirectPort,
      close: () => Promise.all(servers.map(close)).then(() => undefined),
    };
  } catch (err) {
    await Promise.all(servers.filter((s) => s.listening).map(close));
    throw err;
  }
}
