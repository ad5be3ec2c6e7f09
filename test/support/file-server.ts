/**
 * A local HTTP server that serves recorded files the way the publishers do — with ETag and
 * Last-Modified, answering conditional requests with 304 — and that misbehaves on request: 5xx for
 * a while, answers that come too late, bodies cut short. It listens on 127.0.0.1 only.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How one path behaves. */
export interface Route {
  body: Buffer;
  lastModified?: string;
  /** Answer 503 to this many requests first. */
  failTimes?: number;
  /** Wait this long before answering this many requests (the rest answer at once). */
  slow?: { ms: number; times: number };
  /** Send only this many bytes of the body, then drop the connection, for this many requests. */
  truncate?: { bytes: number; times: number };
  status?: number;
}

/** A running server: where it is, what it was asked, and how to stop it. */
export interface FileServer {
  url: string;
  routes: Map<string, Route>;
  requests: { path: string; ifNoneMatch: string | undefined; ifModifiedSince: string | undefined }[];
  close(): Promise<void>;
}

/** The ETag the server gives a body. */
export function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
}

/** Starts the server on a free port of 127.0.0.1. */
export async function startFileServer(routes: Record<string, Route> = {}): Promise<FileServer> {
  const table = new Map(Object.entries(routes));
  const requests: FileServer['requests'] = [];
  const counts = new Map<string, number>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    requests.push({ path, ifNoneMatch: req.headers['if-none-match'], ifModifiedSince: req.headers['if-modified-since'] });
    const n = (counts.get(path) ?? 0) + 1;
    counts.set(path, n);
    const route = table.get(path);
    if (route === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    const answer = () => serve(route, n, req, res);
    if (route.slow !== undefined && n <= route.slow.times) setTimeout(answer, route.slow.ms);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    routes: table,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function serve(route: Route, n: number, req: IncomingMessage, res: ServerResponse): void {
  if (res.destroyed) return;
  if (route.status !== undefined) {
    res.writeHead(route.status).end();
    return;
  }
  if (route.failTimes !== undefined && n <= route.failTimes) {
    res.writeHead(503).end('busy');
    return;
  }
  const etag = etagOf(route.body);
  const lastModified = route.lastModified ?? 'Mon, 02 Nov 2026 03:00:00 GMT';
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, { etag, 'last-modified': lastModified }).end();
    return;
  }
  res.writeHead(200, { etag, 'last-modified': lastModified, 'content-length': route.body.length, 'content-type': 'application/octet-stream' });
  if (route.truncate !== undefined && n <= route.truncate.times + (route.failTimes ?? 0)) {
    res.write(route.body.subarray(0, route.truncate.bytes), () => res.destroy());
    return;
  }
  res.end(route.body);
}
