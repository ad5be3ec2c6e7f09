/**
 * The S3 store (`s3://bucket/prefix`), for AWS and any S3-compatible server. Streams go through
 * lib-storage's multipart upload (memory ≈ part size × queue size, whatever the object's size);
 * small bodies are single PUTs. Conditional writes use `If-None-Match: *` and `If-Match`.
 */
import type { PutObjectCommandInput, S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { S3Config } from '../config.js';
import { IpregError, NotFoundError, PreconditionFailedError } from '../errors.js';
import {
  assertValidKey,
  assertValidPrefix,
  MAX_KEYS_PER_PAGE,
  type ListOptions,
  type ListPage,
  type ObjectInfo,
  type ObjectStore,
  type PutBody,
  type PutResult,
  type SmallBody,
} from './store.js';

/** How often a conditional write is retried when S3 reports a concurrent conditional write (409). */
const CONFLICT_RETRIES = 5;

type Sdk = typeof import('@aws-sdk/client-s3');

/** A store in an S3 bucket, below an optional key prefix. */
export class S3Store implements ObjectStore {
  readonly url: string;
  /** The SDK and its client, loaded on first use: the SDK is about 17 MB that a process reading a local store never needs. */
  private connection: Promise<{ sdk: Sdk; client: S3Client }> | undefined;
  private readonly bucket: string;
  private readonly base: string;
  private readonly settings: S3Config;

  constructor(url: string, settings: S3Config) {
    const { bucket, base } = parseS3Url(url);
    this.url = url;
    this.bucket = bucket;
    this.base = base;
    this.settings = settings;
  }

  /** The SDK and the client, made on the first request. */
  private s3(): Promise<{ sdk: Sdk; client: S3Client }> {
    const settings = this.settings;
    this.connection ??= import('@aws-sdk/client-s3').then((sdk) => {
      const client = new sdk.S3Client({
        region: settings.region,
        endpoint: settings.endpoint,
        forcePathStyle: settings.forcePathStyle,
        maxAttempts: settings.maxAttempts,
        retryMode: 'standard',
        // Third-party S3 servers reject or mangle the newer default checksums; send them only where S3 requires one.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        requestHandler: { connectionTimeout: 10_000, requestTimeout: 120_000 },
        credentials:
          settings.accessKeyId !== undefined && settings.secretAccessKey !== undefined
            ? {
                accessKeyId: settings.accessKeyId,
                secretAccessKey: settings.secretAccessKey,
                sessionToken: settings.sessionToken,
              }
            : undefined,
      });
      return { sdk, client };
    });
    return this.connection;
  }

  async get(key: string): Promise<Readable> {
    assertValidKey(key);
    try {
      const { sdk, client } = await this.s3();
      const out = await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: this.base + key }));
      if (!(out.Body instanceof Readable)) throw new Error('the response has no readable body');
      return out.Body;
    } catch (err) {
      throw this.translate('read', key, err);
    }
  }

  async getBytes(key: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of await this.get(key)) chunks.push(chunk as Buffer);
    } catch (err) {
      throw this.translate('read', key, err);
    }
    return Buffer.concat(chunks);
  }

  async getRange(key: string, start: number, end: number): Promise<Buffer> {
    assertValidKey(key);
    if (end <= start) return Buffer.alloc(0);
    try {
      const { sdk, client } = await this.s3();
      const out = await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: this.base + key, Range: `bytes=${start}-${end - 1}` }));
      if (!(out.Body instanceof Readable)) throw new Error('the response has no readable body');
      const chunks: Buffer[] = [];
      for await (const chunk of out.Body) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    } catch (err) {
      // A range starting past the end of the object: nothing there.
      if ((err as { name?: string }).name === 'InvalidRange') return Buffer.alloc(0);
      throw this.translate('read', key, err);
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    assertValidKey(key);
    try {
      const { sdk, client } = await this.s3();
      const out = await client.send(new sdk.HeadObjectCommand({ Bucket: this.bucket, Key: this.base + key }));
      return {
        key,
        sizeBytes: out.ContentLength ?? 0,
        etag: out.ETag ?? '',
        lastModified: out.LastModified ?? new Date(0),
      };
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw this.translate('read', key, err);
    }
  }

  async put(key: string, body: PutBody, options: { contentType?: string } = {}): Promise<PutResult> {
    assertValidKey(key);
    const params = { Bucket: this.bucket, Key: this.base + key, ContentType: options.contentType };
    try {
      const { sdk, client } = await this.s3();
      if (!(body instanceof Readable) && Buffer.byteLength(body) < this.settings.partSizeBytes) {
        const out = await client.send(new sdk.PutObjectCommand({ ...params, Body: body }));
        return { etag: out.ETag ?? '' };
      }
      const { Upload } = await import('@aws-sdk/lib-storage');
      const upload = new Upload({
        client,
        params: { ...params, Body: body },
        partSize: this.settings.partSizeBytes,
        queueSize: this.settings.queueSize,
        leavePartsOnError: false,
      });
      const out = await upload.done();
      return { etag: out.ETag ?? (await this.head(key))?.etag ?? '' };
    } catch (err) {
      throw this.translate('write', key, err);
    }
  }

  async putIfAbsent(key: string, body: SmallBody): Promise<PutResult> {
    return this.conditionalPut(key, body, { IfNoneMatch: '*' });
  }

  async putIfMatch(key: string, body: SmallBody, etag: string): Promise<PutResult> {
    return this.conditionalPut(key, body, { IfMatch: etag });
  }

  async listPage(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    assertValidPrefix(prefix);
    try {
      const { sdk, client } = await this.s3();
      const out = await client.send(
        new sdk.ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.base + prefix,
          Delimiter: options.delimiter,
          MaxKeys: Math.min(options.maxKeys ?? MAX_KEYS_PER_PAGE, MAX_KEYS_PER_PAGE),
          ContinuationToken: options.continuationToken,
        }),
      );
      return {
        objects: (out.Contents ?? []).map((o) => ({
          key: (o.Key ?? '').slice(this.base.length),
          sizeBytes: o.Size ?? 0,
          etag: o.ETag ?? '',
          lastModified: o.LastModified ?? new Date(0),
        })),
        prefixes: (out.CommonPrefixes ?? []).map((p) => (p.Prefix ?? '').slice(this.base.length)),
        nextContinuationToken: out.IsTruncated === true ? out.NextContinuationToken : undefined,
      };
    } catch (err) {
      throw this.translate('list', prefix, err);
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    try {
      const { sdk, client } = await this.s3();
      await client.send(new sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: this.base + key }));
    } catch (err) {
      if (statusOf(err) === 404) return;
      throw this.translate('delete', key, err);
    }
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    if (connection !== undefined) (await connection).client.destroy();
  }

  private async conditionalPut(
    key: string,
    body: SmallBody,
    condition: Pick<PutObjectCommandInput, 'IfMatch' | 'IfNoneMatch'>,
  ): Promise<PutResult> {
    assertValidKey(key);
    for (let attempt = 1; ; attempt++) {
      try {
        const { sdk, client } = await this.s3();
        const out = await client.send(
          new sdk.PutObjectCommand({ Bucket: this.bucket, Key: this.base + key, Body: body, ...condition }),
        );
        return { etag: out.ETag ?? '' };
      } catch (err) {
        const status = statusOf(err);
        // 409: another conditional write to this key is in flight; S3 asks the client to retry.
        if (status === 409 && attempt < CONFLICT_RETRIES) {
          await sleep(20 * 2 ** attempt * Math.random());
          continue;
        }
        if (status === 412 || status === 409 || (status === 404 && condition.IfMatch !== undefined)) {
          const why =
            condition.IfNoneMatch !== undefined
              ? 'already exists'
              : status === 404
                ? 'does not exist'
                : `changed (expected etag ${condition.IfMatch})`;
          throw new PreconditionFailedError(`store key ${key} ${why} in ${this.url}`, { key }, { cause: err });
        }
        throw this.translate('write', key, err);
      }
    }
  }

  private translate(action: string, key: string, err: unknown): IpregError {
    if (err instanceof IpregError) return err;
    if (statusOf(err) === 404 && action === 'read') {
      return new NotFoundError(`store key ${key} does not exist in ${this.url}`, { key }, { cause: err });
    }
    const e = err as { name?: string; message?: string };
    const status = statusOf(err);
    return new IpregError(
      'STORE_IO',
      `could not ${action} store key ${key} in ${this.url}: ${e.name ?? 'Error'}${status === undefined ? '' : ` (HTTP ${status})`}: ${e.message ?? String(err)}`,
      { key },
      { cause: err },
    );
  }
}

/** Splits s3://bucket/prefix into the bucket and a key prefix that is empty or ends with "/". */
export function parseS3Url(url: string): { bucket: string; base: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (match === null || match[1] === undefined) {
    throw new IpregError('STORE_URL_INVALID', `invalid S3 store URL ${JSON.stringify(url)}: expected s3://bucket[/prefix]`);
  }
  const rest = (match[2] ?? '').replace(/\/+$/, '');
  return { bucket: match[1], base: rest === '' ? '' : `${rest}/` };
}

function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}
