/**
 * Who may ask: API keys (stored as their SHA-256, compared in constant time) and a per-key rate limit
 * (a token bucket of one second's worth). Neither the key presented nor the client's address is kept.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ApiKey } from '../config.js';

/** An answer the handler gives up with: status, code, a sentence that never repeats the address, headers. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * The client went away before its request was read whole (a closed connection mid-body): nothing to
 * answer, nothing wrong with the service. Counted as status 499 (nginx's "client closed request"),
 * logged at debug — never as a 5xx that could page the operator.
 */
export class ClientGone extends Error {
  constructor() {
    super('the client closed the connection before its request was read');
  }
}

/** The status the metrics count a request under whose client went away. */
export const CLIENT_CLOSED = 499;

interface Bucket {
  tokens: number;
  at: number;
}

export class AccessControl {
  readonly #keys: { id: string; hash: Buffer }[];
  readonly #rate: number;
  readonly #buckets = new Map<string, Bucket>();
  readonly #now: () => number;

  constructor(keys: readonly ApiKey[], ratePerSecond: number, now: () => number = () => performance.now()) {
    this.#keys = keys.map((k) => ({ id: k.id, hash: Buffer.from(k.sha256, 'hex') }));
    this.#rate = ratePerSecond;
    this.#now = now;
  }

  /** Whether a key is needed at all. */
  get required(): boolean {
    return this.#keys.length > 0;
  }

  /**
   * The id of the key the request presents (`Authorization: Bearer <key>` or `X-API-Key: <key>`);
   * 401 when keys are required and it presents none or an unknown one. Every configured key is
   * compared, in constant time, whether or not an earlier one matched.
   */
  authorize(req: IncomingMessage): string | undefined {
    if (!this.required) return undefined;
    const header = req.headers['x-api-key'];
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    const presented = bearer ?? (typeof header === 'string' ? header.trim() : undefined);
    if (presented === undefined || presented === '') throw new HttpError(401, 'unauthorized', 'an API key is required: Authorization: Bearer <key>, or X-API-Key: <key>', { 'www-authenticate': 'Bearer' });
    const hash = createHash('sha256').update(presented).digest();
    let match: string | undefined;
    for (const key of this.#keys) if (timingSafeEqual(hash, key.hash) && match === undefined) match = key.id;
    if (match === undefined) throw new HttpError(401, 'unauthorized', 'the API key is not one this service accepts', { 'www-authenticate': 'Bearer error="invalid_token"' });
    return match;
  }

  /** Takes one request from the key's bucket; 429 with Retry-After when it is empty. */
  take(id: string | undefined): void {
    if (id === undefined || this.#rate === 0) return;
    const now = this.#now();
    const bucket = this.#buckets.get(id) ?? { tokens: this.#rate, at: now };
    bucket.tokens = Math.min(this.#rate, bucket.tokens + ((now - bucket.at) / 1000) * this.#rate);
    bucket.at = now;
    this.#buckets.set(id, bucket);
    if (bucket.tokens < 1) {
      const wait = Math.max(1, Math.ceil((1 - bucket.tokens) / this.#rate));
      throw new HttpError(429, 'rate_limited', `this key may make ${this.#rate} requests a second; try again in ${wait} s`, { 'retry-after': String(wait) });
    }
    bucket.tokens -= 1;
  }
}
