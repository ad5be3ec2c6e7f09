/**
 * The resolver's HTTP server (node:http, no framework: a lookup should cost what the HTTP stack
 * costs): routing, API keys and rate limits, methods, metrics and errors. The routes, one handler
 * each, are in routes.ts: GET /v1/lookup/{ip}, POST /v1/lookup, /healthz, /readyz, /metrics,
 * /v1/about, /openapi.json.
 *
 * GDPR: the address asked about is read, looked up and dropped. It is not logged (request logs carry
 * the route template, never the URL), not a metric label, not in an answer and not in an error; the
 * client's socket address is not logged either.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { ServeConfig } from '../config.js';
import { AccessControl, CLIENT_CLOSED, ClientGone, HttpError } from './access.js';
import type { Logger } from '../log.js';
import type { BuildHolder } from './build-holder.js';
import { ResolverMetrics, type Route } from './metrics.js';
import { JSON_HEADERS, routeOf, send, type RouteContext } from './routes.js';

export interface ResolverServer {
  server: Server;
  metrics: ResolverMetrics;
}

/** What the server needs of the configuration; TLS material already read from its files. */
export type ResolverOptions = Pick<ServeConfig, 'maxBatch' | 'maxBodyBytes'> & Partial<Pick<ServeConfig, 'apiKeys' | 'rateLimit'>> & { tls?: { cert: Buffer; key: Buffer } };

export function createResolverServer(holder: BuildHolder, config: ResolverOptions, log: Logger): ResolverServer {
  const metrics = new ResolverMetrics(holder);
  const access = new AccessControl(config.apiKeys ?? [], config.rateLimit ?? 0);
  const context: RouteContext = { holder, metrics, config };

  /** Answers the request; a promise only for the routes that wait (a batch's body, the metrics). */
  const handle = (req: IncomingMessage, res: ServerResponse, handler: ReturnType<typeof routeOf>): Promise<void> | undefined => {
    if (handler === undefined) throw new HttpError(404, 'not_found', 'no such route; see /openapi.json');
    if (handler.keyed) access.take(access.authorize(req));
    if (!handler.methods.includes(req.method ?? 'GET')) throw new HttpError(405, 'method_not_allowed', handler.wrongMethod);
    return handler.handle(req, res, context);
  };

  const tracing = log.isLevelEnabled('trace');
  /** Counts the request; at trace, logs its route template — never the URL: a lookup's path is the address. */
  const finish = (req: IncomingMessage, res: ServerResponse, r: Route, started: number): void => {
    const seconds = (performance.now() - started) / 1000;
    metrics.observe(r, res.statusCode, seconds);
    if (tracing) log.trace({ route: r, method: req.method, status: res.statusCode, ms: seconds * 1000 }, 'request');
  };

  const fail = (res: ServerResponse, r: Route, err: unknown): void => {
    if (err instanceof ClientGone) {
      // Nobody to answer: counted as 499, not as a failure of the service.
      log.debug({ route: r }, 'client closed the connection before its request was read');
      res.statusCode = CLIENT_CLOSED;
      res.destroy();
      return;
    }
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
    const route = routeOf(req.url ?? '/');
    const r: Route = route?.route ?? 'other';
    let pending: Promise<void> | undefined;
    try {
      pending = handle(req, res, route);
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
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // Malformed HTTP, or headers past Node's limit: answered without logging what was sent.
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    else socket.destroy();
  });
  return { server, metrics };
}
