/**
 * The resolver's HTTP server (node:http, no framework: a lookup should cost what the HTTP stack
 * costs). Routes: GET /v1/lookup/{ip}, POST /v1/lookup, /healthz, /readyz, /metrics, /v1/about,
 * /openapi.json.
 *
 * GDPR: the address asked about is read, looked up and dropped. It is not logged (request logs carry
 * the route template, never the URL), not a metric label, not in an answer and not in an error; the
 * client's socket address is not logged either.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { ServeConfig } from '../config.js';
import { AccessControl, HttpError } from './access.js';
import { FORMAT_MAJOR, FORMAT_MINOR, NONE as NO_RECORD } from '../index-file/layout.js';
import { InvalidAddressError } from '../index-file/read.js';
import type { Logger } from '../log.js';
import type { BuildHolder, ServedBuild } from './build-holder.js';
import { ResolverMetrics, type Route } from './metrics.js';
import { OPENAPI } from './openapi.js';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const;
const LOOKUP_PREFIX = '/v1/lookup/';
const OPENAPI_TEXT = JSON.stringify(OPENAPI);

export interface ResolverServer {
  server: Server;
  metrics: ResolverMetrics;
}

/** What the server needs of the configuration; TLS material already read from its files. */
export type ResolverOptions = Pick<ServeConfig, 'maxBatch' | 'maxBodyBytes'> & Partial<Pick<ServeConfig, 'apiKeys' | 'rateLimit'>> & { tls?: { cert: Buffer; key: Buffer } };

export function createResolverServer(holder: BuildHolder, config: ResolverOptions, log: Logger): ResolverServer {
  const metrics = new ResolverMetrics(holder);
  const access = new AccessControl(config.apiKeys ?? [], config.rateLimit ?? 0);

  /** The build to answer from, or 503. */
  const build = (): ServedBuild => {
    const b = holder.current;
    if (b === undefined) throw new HttpError(503, 'not_ready', 'no verified index build is loaded yet; see /readyz');
    return b;
  };

  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = JSON_HEADERS) => {
    res.writeHead(status, headers);
    res.end(body);
  };

  const lookupOne = (res: ServerResponse, text: string): void => {
    const b = build();
    let ip = text;
    if (ip.includes('%')) {
      try {
        ip = decodeURIComponent(ip);
      } catch {
        ip = '';
      }
    }
    let id;
    try {
      id = b.answers.reader.lookupId(ip);
    } catch (err) {
      if (!(err instanceof InvalidAddressError)) throw err;
      metrics.lookups('invalid');
      throw new HttpError(400, 'invalid_address', 'the path does not end in an IPv4 or IPv6 address');
    }
    metrics.lookups(id === NO_RECORD ? 'none' : b.answers.reader.recordClass(id));
    send(res, 200, b.answers.json(id));
  };

  const lookupBatch = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req, config.maxBodyBytes);
    let ips: unknown;
    try {
      ips = (JSON.parse(body) as { ips?: unknown } | null)?.ips;
    } catch {
      // The parser's message quotes the body: it may hold addresses, so it is not passed on.
      throw new HttpError(400, 'bad_request', 'the body is not JSON');
    }
    if (!Array.isArray(ips)) throw new HttpError(400, 'bad_request', 'the body must be {"ips": [addresses]}');
    if (ips.length > config.maxBatch) throw new HttpError(400, 'batch_too_large', `a batch holds at most ${config.maxBatch} addresses; this one has ${ips.length}`);
    const b = build();
    const reader = b.answers.reader;
    const parts = new Array<string>(ips.length);
    const counts = new Map<string, number>();
    for (let i = 0; i < ips.length; i++) {
      const ip: unknown = ips[i];
      let item: string;
      let klass: string;
      try {
        if (typeof ip !== 'string') throw new InvalidAddressError();
        const id = reader.lookupId(ip);
        item = b.answers.item(id);
        klass = id === NO_RECORD ? 'none' : reader.recordClass(id);
      } catch (err) {
        if (!(err instanceof InvalidAddressError)) throw err;
        item = '{"found":false,"error":"invalid_address"}';
        klass = 'invalid';
      }
      parts[i] = item;
      counts.set(klass, (counts.get(klass) ?? 0) + 1);
    }
    for (const [klass, n] of counts) metrics.lookups(klass, n);
    send(res, 200, `{"build_id":${JSON.stringify(b.buildId)},"results":[${parts.join(',')}]}`);
  };

  const readyz = (res: ServerResponse): void => {
    const b = holder.current;
    const status = holder.status;
    if (b === undefined) {
      send(res, 503, JSON.stringify({ ready: false, reason: 'no verified index build is loaded yet', last_error: status.lastError ?? null }));
      return;
    }
    send(res, 200, JSON.stringify({
      ready: true,
      build_id: b.buildId,
      snapshot: b.answers.meta.snapshot,
      built_at: b.created.toISOString(),
      age_seconds: Math.round((Date.now() - b.created.getTime()) / 1000),
      loaded_at: b.loadedAt.toISOString(),
      last_reload_error: status.lastError ?? null,
    }));
  };

  const about = (res: ServerResponse): void => {
    const b = build();
    const meta = b.answers.meta;
    send(res, 200, JSON.stringify({
      build_id: meta.buildId,
      snapshot: meta.snapshot,
      built_at: meta.created,
      format: `${FORMAT_MAJOR}.${FORMAT_MINOR}`,
      counts: meta.counts,
      sources: meta.sources.map((s) => ({ id: s.id, publisher: s.publisher, licence: s.licence, attribution: s.attribution })),
    }));
  };

  const route = (req: IncomingMessage): Route => {
    const url = req.url ?? '/';
    if (url.startsWith(LOOKUP_PREFIX)) return '/v1/lookup/{ip}';
    const path = url.split('?', 1)[0];
    if (path === '/v1/lookup') return 'POST /v1/lookup';
    if (path === '/healthz' || path === '/readyz' || path === '/metrics' || path === '/v1/about' || path === '/openapi.json') return path;
    return 'other';
  };

  /** Answers the request; a promise only for the routes that wait (a batch's body, the metrics). */
  const handle = (req: IncomingMessage, res: ServerResponse, r: Route): Promise<void> | undefined => {
    const method = req.method ?? 'GET';
    // The API needs a key when keys are configured; health, readiness, metrics and the spec do not.
    if (r === '/v1/lookup/{ip}' || r === 'POST /v1/lookup' || r === '/v1/about') access.take(access.authorize(req));
    const reading = method === 'GET' || method === 'HEAD';
    if (r === 'POST /v1/lookup') {
      if (method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'use POST with {"ips": [...]}, or GET /v1/lookup/{ip}');
      return lookupBatch(req, res);
    }
    if (r === 'other') throw new HttpError(404, 'not_found', 'no such route; see /openapi.json');
    if (!reading) throw new HttpError(405, 'method_not_allowed', `${r} answers GET only`);
    switch (r) {
      case '/v1/lookup/{ip}': {
        const url = req.url as string;
        const query = url.indexOf('?');
        lookupOne(res, query < 0 ? url.slice(LOOKUP_PREFIX.length) : url.slice(LOOKUP_PREFIX.length, query));
        return;
      }
      case '/healthz':
        send(res, 200, '{"ok":true}');
        return;
      case '/readyz':
        readyz(res);
        return;
      case '/metrics':
        return metrics.text().then((text) => send(res, 200, text, { 'content-type': metrics.registry.contentType }));
      case '/v1/about':
        about(res);
        return;
      case '/openapi.json':
        send(res, 200, OPENAPI_TEXT);
        return;
    }
    return undefined;
  };

  const tracing = log.isLevelEnabled('trace');
  /** Counts the request; at trace, logs its route template — never the URL: a lookup's path is the address. */
  const finish = (req: IncomingMessage, res: ServerResponse, r: Route, started: number): void => {
    const seconds = (performance.now() - started) / 1000;
    metrics.observe(r, res.statusCode, seconds);
    if (tracing) log.trace({ route: r, method: req.method, status: res.statusCode, ms: seconds * 1000 }, 'request');
  };

  const fail = (res: ServerResponse, r: Route, err: unknown): void => {
    if (err instanceof HttpError) {
      if (!res.headersSent) send(res, err.status, JSON.stringify({ error: err.code, message: err.message }), { ...JSON_HEADERS, ...err.headers });
      return;
    }
    // Only the route and the error's kind: a message could carry request data.
    log.error({ route: r, errorName: (err as Error)?.name ?? typeof err }, 'request failed');
    if (!res.headersSent) send(res, 500, '{"error":"internal","message":"the request failed; the service log has the error kind"}');
    else res.destroy();
  };

  // No closure is made per request on the synchronous routes (lookups, health): only waiting routes make them.
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const r = route(req);
    let pending: Promise<void> | undefined;
    try {
      pending = handle(req, res, r);
    } catch (err) {
      fail(res, r, err);
    }
    if (pending === undefined) finish(req, res, r, started);
    else {
      pending.then(
        () => finish(req, res, r, started),
        (err: unknown) => {
          fail(res, r, err);
          finish(req, res, r, started);
        },
      );
    }
  };
  const server = config.tls === undefined ? createServer(handler) : createTlsServer({ cert: config.tls.cert, key: config.tls.key }, handler);
  server.on('clientError', (_err, socket) => {
    // Malformed HTTP: answered without logging what was sent.
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });
  return { server, metrics };
}

/** A request body as text, refused (413) past `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) {
    req.resume();
    return Promise.reject(new HttpError(413, 'body_too_large', `the body has ${declared} bytes; at most ${limit} are accepted`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new HttpError(413, 'body_too_large', `the body passed ${limit} bytes, the most accepted`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
