/**
 * The resolver's routes: one handler each, in a table the server dispatches on. A route says which
 * methods it answers, whether it needs an API key (when keys are configured) and what a wrong method
 * is told. A handler answers synchronously (lookups, health: no closure made per request) or returns
 * a promise when it waits (a batch's body, the metrics).
 *
 * GDPR: the address asked about is read, looked up and dropped: it is in no answer, error, log or label.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServeConfig } from '../config.js';
import { FORMAT_MAJOR, FORMAT_MINOR, NONE as NO_RECORD } from '../index-file/layout.js';
import { InvalidAddressError } from '../index-file/read.js';
import { ClientGone, HttpError } from './access.js';
import type { BuildHolder, ServedBuild } from './build-holder.js';
import type { ResolverMetrics, Route } from './metrics.js';
import { OPENAPI } from './openapi.js';

export const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const;
const LOOKUP_PREFIX = '/v1/lookup/';
const OPENAPI_TEXT = JSON.stringify(OPENAPI);

/** What the handlers answer from. */
export interface RouteContext {
  holder: BuildHolder;
  metrics: ResolverMetrics;
  config: Pick<ServeConfig, 'maxBatch' | 'maxBodyBytes'>;
}

export interface RouteHandler {
  route: Exclude<Route, 'other'>;
  methods: readonly string[];
  /** Needs an API key when keys are configured (health, readiness, metrics and the spec do not). */
  keyed: boolean;
  /** What a request with another method is told (405). */
  wrongMethod: string;
  handle(req: IncomingMessage, res: ServerResponse, ctx: RouteContext): Promise<void> | undefined;
}

export function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = JSON_HEADERS): void {
  res.writeHead(status, headers);
  res.end(body);
}

/** The build to answer from, or 503. */
function build(holder: BuildHolder): ServedBuild {
  const b = holder.current;
  if (b === undefined) throw new HttpError(503, 'not_ready', 'no verified index build is loaded yet; see /readyz');
  return b;
}

const GET = ['GET', 'HEAD'] as const;
const getOnly = (route: Route) => `${route} answers GET only`;

/** GET /v1/lookup/{ip}: one address (percent-encoded or not), 400 when it is none. */
const lookupOne: RouteHandler = {
  route: '/v1/lookup/{ip}',
  methods: GET,
  keyed: true,
  wrongMethod: getOnly('/v1/lookup/{ip}'),
  handle(req, res, { holder, metrics }) {
    const url = req.url as string;
    const query = url.indexOf('?');
    let ip = query < 0 ? url.slice(LOOKUP_PREFIX.length) : url.slice(LOOKUP_PREFIX.length, query);
    const b = build(holder);
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
    return undefined;
  },
};

/** POST /v1/lookup: {"ips": [...]} up to maxBatch, each answered in order (an invalid one says so in its place). */
const lookupBatch: RouteHandler = {
  route: 'POST /v1/lookup',
  methods: ['POST'],
  keyed: true,
  wrongMethod: 'use POST with {"ips": [...]}, or GET /v1/lookup/{ip}',
  async handle(req, res, { holder, metrics, config }) {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      req.resume();
      throw new HttpError(415, 'unsupported_media_type', 'send the body as application/json: {"ips": [addresses]}');
    }
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
    const b = build(holder);
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
  },
};

const healthz: RouteHandler = {
  route: '/healthz',
  methods: GET,
  keyed: false,
  wrongMethod: getOnly('/healthz'),
  handle(_req, res) {
    send(res, 200, '{"ok":true}');
    return undefined;
  },
};

/** /readyz: 200 with the build served and its age once one is loaded, else 503 with the last error. */
const readyz: RouteHandler = {
  route: '/readyz',
  methods: GET,
  keyed: false,
  wrongMethod: getOnly('/readyz'),
  handle(_req, res, { holder }) {
    const b = holder.current;
    const status = holder.status;
    if (b === undefined) {
      send(res, 503, JSON.stringify({ ready: false, reason: 'no verified index build is loaded yet', last_error: status.lastError ?? null }));
      return undefined;
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
    return undefined;
  },
};

const metricsRoute: RouteHandler = {
  route: '/metrics',
  methods: GET,
  keyed: false,
  wrongMethod: getOnly('/metrics'),
  handle(_req, res, { metrics }) {
    return metrics.text().then((text) => send(res, 200, text, { 'content-type': metrics.registry.contentType }));
  },
};

/** /v1/about: the build served, its counts and its sources with their licences and attribution. */
const about: RouteHandler = {
  route: '/v1/about',
  methods: GET,
  keyed: true,
  wrongMethod: getOnly('/v1/about'),
  handle(_req, res, { holder }) {
    const meta = build(holder).answers.meta;
    send(res, 200, JSON.stringify({
      build_id: meta.buildId,
      snapshot: meta.snapshot,
      built_at: meta.created,
      format: `${FORMAT_MAJOR}.${FORMAT_MINOR}`,
      counts: meta.counts,
      sources: meta.sources.map((s) => ({ id: s.id, publisher: s.publisher, licence: s.licence, attribution: s.attribution })),
    }));
    return undefined;
  },
};

const openapi: RouteHandler = {
  route: '/openapi.json',
  methods: GET,
  keyed: false,
  wrongMethod: getOnly('/openapi.json'),
  handle(_req, res) {
    send(res, 200, OPENAPI_TEXT);
    return undefined;
  },
};

/** The routes with a fixed path, by path. */
const BY_PATH: ReadonlyMap<string, RouteHandler> = new Map([lookupBatch, healthz, readyz, metricsRoute, about, openapi].map((h) => [h.route === 'POST /v1/lookup' ? '/v1/lookup' : h.route, h]));

/** The handler of a request's URL, or undefined (404). */
export function routeOf(url: string): RouteHandler | undefined {
  if (url.startsWith(LOOKUP_PREFIX)) return lookupOne;
  return BY_PATH.get(url.split('?', 1)[0] as string);
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
    // A client that closes mid-body: its request is gone, not failed (the error says only "aborted").
    req.on('error', () => reject(new ClientGone()));
    req.on('close', () => {
      if (!req.complete) reject(new ClientGone());
    });
  });
}
