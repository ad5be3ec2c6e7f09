/**
 * The resolver's Prometheus metrics (prom-client): requests by route and status, latency, lookups by
 * class, the build served and its age, reloads. Labels are route templates, classes, statuses and
 * build ids — never an address: the path of a lookup is not a label.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BuildHolder } from './build-holder.js';

/** The routes, as they appear in the `route` label. */
export const ROUTES = ['/v1/lookup/{ip}', 'POST /v1/lookup', '/healthz', '/readyz', '/metrics', '/v1/about', '/openapi.json', 'other'] as const;
export type Route = (typeof ROUTES)[number];

export class ResolverMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'route' | 'status'>;
  readonly duration: Histogram<'route'>;
  readonly lookups: Counter<'class'>;

  constructor(holder: BuildHolder) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'ipreg_' });
    this.requests = new Counter({ name: 'ipreg_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['route', 'status'], registers });
    this.duration = new Histogram({
      name: 'ipreg_http_request_duration_seconds',
      help: 'time from the request to the last byte of the answer handed to the socket',
      labelNames: ['route'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.lookups = new Counter({ name: 'ipreg_lookups_total', help: 'addresses looked up, by the class of the answer (none: no range holds it; invalid: not an address)', labelNames: ['class'], registers });
    new Gauge({
      name: 'ipreg_build_info',
      help: 'the build being served (value 1), by build id and snapshot',
      labelNames: ['build_id', 'snapshot'],
      registers,
      collect() {
        this.reset();
        const b = holder.current;
        if (b !== undefined) this.set({ build_id: b.buildId, snapshot: b.answers.meta.snapshot }, 1);
      },
    });
    new Gauge({
      name: 'ipreg_build_age_seconds',
      help: 'age of the build being served: now minus when it was built (absent before the first load)',
      registers,
      collect() {
        this.reset();
        const b = holder.current;
        if (b !== undefined) this.set((Date.now() - b.created.getTime()) / 1000);
      },
    });
    new Gauge({
      name: 'ipreg_build_loaded_timestamp_seconds',
      help: 'when the build being served was swapped in (Unix time)',
      registers,
      collect() {
        this.reset();
        const b = holder.current;
        if (b !== undefined) this.set(b.loadedAt.getTime() / 1000);
      },
    });
    new Counter({
      name: 'ipreg_reloads_total',
      help: 'new builds looked at: swapped in (success) or refused, the old one kept (failure)',
      labelNames: ['outcome'],
      registers,
      collect() {
        this.reset();
        this.inc({ outcome: 'success' }, holder.status.reloads);
        this.inc({ outcome: 'failure' }, holder.status.failures);
      },
    });
  }

  /** One request done. */
  observe(route: Route, status: number, seconds: number): void {
    this.requests.inc({ route, status: String(status) });
    this.duration.observe({ route }, seconds);
  }
}
