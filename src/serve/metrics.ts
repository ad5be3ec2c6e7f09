/**
 * The resolver's Prometheus metrics (prom-client): requests by route and status, latency, lookups by
 * class, the build served and its age, reloads. Labels are route templates, classes, statuses and
 * build ids — never an address: the path of a lookup is not a label.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { BuildHolder } from './build-holder.js';

/** The routes, as they appear in the `route` label. */
export const ROUTES = ['/v1/lookup/{ip}', 'POST /v1/lookup', '/healthz', '/readyz', '/metrics', '/v1/about', '/openapi.json', 'other'] as const;
export type Route = (typeof ROUTES)[number];

const DURATION_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/**
 * The per-request metrics, counted in plain arrays and maps on the request path (a few nanoseconds)
 * and written as Prometheus text at scrape time; prom-client's own metric objects hash their labels
 * on every update, which cost the resolver a fifth of its throughput. The build, reload and process
 * metrics are prom-client's, computed at scrape time only.
 */
export class ResolverMetrics {
  readonly registry = new Registry();
  /** Requests by route index × 1000 + status. */
  readonly #requests = new Map<number, number>();
  readonly #buckets = ROUTES.map(() => new Float64Array(DURATION_BUCKETS.length));
  readonly #sums = new Float64Array(ROUTES.length);
  readonly #counts = new Float64Array(ROUTES.length);
  readonly #lookups = new Map<string, number>();

  constructor(holder: BuildHolder) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'ipreg_' });
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
    const r = ROUTES.indexOf(route);
    const key = r * 1000 + status;
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
    const buckets = this.#buckets[r] as Float64Array;
    for (let b = 0; b < DURATION_BUCKETS.length; b++) {
      if (seconds <= (DURATION_BUCKETS[b] as number)) {
        buckets[b] = (buckets[b] as number) + 1;
        break;
      }
    }
    this.#sums[r] = (this.#sums[r] as number) + seconds;
    this.#counts[r] = (this.#counts[r] as number) + 1;
  }

  /** `n` addresses looked up whose answer has this class (none: no range holds it; invalid: not an address). */
  lookups(klass: string, n = 1): void {
    this.#lookups.set(klass, (this.#lookups.get(klass) ?? 0) + n);
  }

  /** Every metric in the Prometheus text format. */
  async text(): Promise<string> {
    const lines: string[] = [
      '# HELP ipreg_http_requests_total HTTP requests by route and status',
      '# TYPE ipreg_http_requests_total counter',
    ];
    for (const [key, n] of [...this.#requests].sort((a, b) => a[0] - b[0])) {
      lines.push(`ipreg_http_requests_total{route="${ROUTES[Math.floor(key / 1000)]}",status="${key % 1000}"} ${n}`);
    }
    lines.push(
      '# HELP ipreg_http_request_duration_seconds time from the request to the last byte of the answer handed to the socket',
      '# TYPE ipreg_http_request_duration_seconds histogram',
    );
    ROUTES.forEach((route, r) => {
      if (this.#counts[r] === 0) return;
      let cumulative = 0;
      DURATION_BUCKETS.forEach((le, b) => {
        cumulative += this.#buckets[r]?.[b] as number;
        lines.push(`ipreg_http_request_duration_seconds_bucket{route="${route}",le="${le}"} ${cumulative}`);
      });
      lines.push(
        `ipreg_http_request_duration_seconds_bucket{route="${route}",le="+Inf"} ${this.#counts[r]}`,
        `ipreg_http_request_duration_seconds_sum{route="${route}"} ${this.#sums[r]}`,
        `ipreg_http_request_duration_seconds_count{route="${route}"} ${this.#counts[r]}`,
      );
    });
    lines.push(
      '# HELP ipreg_lookups_total addresses looked up, by the class of the answer (none: no range holds it; invalid: not an address)',
      '# TYPE ipreg_lookups_total counter',
      ...[...this.#lookups].sort().map(([klass, n]) => `ipreg_lookups_total{class="${klass}"} ${n}`),
    );
    return `${lines.join('\n')}\n${await this.registry.metrics()}`;
  }
}
