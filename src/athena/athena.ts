/**
 * Queries in Amazon Athena: started with StartQueryExecution, watched with GetQueryExecution at a
 * growing interval until they end, their rows paged with GetQueryResults. A failed or cancelled
 * query is an error carrying Athena's own message; a query running past the time limit is stopped.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { AthenaClient } from '@aws-sdk/client-athena';
import type { AthenaConfig, S3Config } from '../config.js';
import { IpregError } from '../errors.js';
import type { Logger } from '../log.js';

/** The rows of a finished query (text as Athena returns it; null for SQL NULL). */
export interface AthenaResult {
  queryExecutionId: string;
  statementType: string | undefined;
  columns: string[];
  rows: (string | null)[][];
  /** Bytes the query scanned (what Athena bills). */
  scannedBytes: number | undefined;
}

/** How the poll interval grows: from `firstMs`, times `factor`, up to `maxMs`. */
export interface PollSchedule {
  firstMs: number;
  factor: number;
  maxMs: number;
}

export const DEFAULT_POLL: PollSchedule = { firstMs: 200, factor: 1.6, maxMs: 5_000 };

/** An Athena client for the settings (made on first use; the SDK is loaded only then). */
export async function athenaClient(athena: AthenaConfig, s3: S3Config): Promise<AthenaClient> {
  const sdk = await import('@aws-sdk/client-athena');
  return new sdk.AthenaClient({
    region: athena.region,
    endpoint: athena.endpoint,
    maxAttempts: s3.maxAttempts,
    credentials: s3.accessKeyId !== undefined && s3.secretAccessKey !== undefined ? { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, sessionToken: s3.sessionToken } : undefined,
  });
}

/** Where and how queries run. */
export interface QueryPlace {
  /** The database the query's unqualified names are in; undefined for statements that name none (CREATE DATABASE). */
  database: string | undefined;
  workgroup: string;
  output: string | undefined;
  timeoutMs: number;
  poll?: PollSchedule;
  /** How to wait between two looks (default: a timer; tests record the waits asked for). */
  sleep?: (ms: number) => Promise<unknown>;
}

/** Runs one statement in Athena and returns its rows; throws IpregError ATHENA_FAILED with Athena's reason. */
export async function runAthenaQuery(client: AthenaClient, sql: string, place: QueryPlace, log: Logger): Promise<AthenaResult> {
  const sdk = await import('@aws-sdk/client-athena');
  const started = await client.send(
    new sdk.StartQueryExecutionCommand({
      QueryString: sql,
      WorkGroup: place.workgroup,
      ...(place.database === undefined ? {} : { QueryExecutionContext: { Database: place.database } }),
      ...(place.output === undefined ? {} : { ResultConfiguration: { OutputLocation: place.output } }),
    }),
  );
  const id = started.QueryExecutionId;
  if (id === undefined) throw new IpregError('ATHENA_FAILED', 'Athena started the query but returned no query execution id');
  const poll = place.poll ?? DEFAULT_POLL;
  const deadline = Date.now() + place.timeoutMs;
  let wait = poll.firstMs;
  for (;;) {
    const { QueryExecution: execution } = await client.send(new sdk.GetQueryExecutionCommand({ QueryExecutionId: id }));
    const state = execution?.Status?.State;
    if (state === 'SUCCEEDED') {
      log.debug({ queryExecutionId: id, scannedBytes: execution?.Statistics?.DataScannedInBytes }, 'athena query succeeded');
      return { ...(await resultsOf(client, sdk, id, execution?.StatementType)), scannedBytes: execution?.Statistics?.DataScannedInBytes };
    }
    if (state === 'FAILED' || state === 'CANCELLED') {
      const reason = execution?.Status?.AthenaError?.ErrorMessage ?? execution?.Status?.StateChangeReason ?? 'no reason given';
      throw new IpregError('ATHENA_FAILED', `Athena query ${id} ${state.toLowerCase()}: ${reason}`, { queryExecutionId: id });
    }
    if (Date.now() + wait > deadline) {
      await client.send(new sdk.StopQueryExecutionCommand({ QueryExecutionId: id })).catch((err: unknown) => log.warn({ err, queryExecutionId: id }, 'could not stop the query'));
      throw new IpregError('ATHENA_FAILED', `Athena query ${id} still ${state?.toLowerCase() ?? 'running'} after ${Math.round(place.timeoutMs / 1000)} s: stopped (athena.timeoutSeconds)`, { queryExecutionId: id });
    }
    await (place.sleep ?? sleep)(wait);
    wait = Math.min(poll.maxMs, Math.round(wait * poll.factor));
  }
}

/** Every page of a finished query's rows; a SELECT's first row is its header, and is left out. */
async function resultsOf(client: AthenaClient, sdk: typeof import('@aws-sdk/client-athena'), id: string, statementType: string | undefined): Promise<Omit<AthenaResult, 'scannedBytes'>> {
  const rows: (string | null)[][] = [];
  let columns: string[] = [];
  let token: string | undefined;
  let first = true;
  do {
    const page = await client.send(new sdk.GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token, MaxResults: 1000 }));
    if (first) columns = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? c.Label ?? '');
    const data = (page.ResultSet?.Rows ?? []).map((r) => (r.Data ?? []).map((d) => d.VarCharValue ?? null));
    rows.push(...(first && statementType === 'DML' ? data.slice(1) : data));
    first = false;
    token = page.NextToken;
  } while (token !== undefined);
  return { queryExecutionId: id, statementType, columns, rows };
}
