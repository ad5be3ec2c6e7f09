/**
 * The Athena client against a local stub of Athena's JSON protocol — only the requests' shape, the
 * polling and the paging (the SQL itself runs on DuckDB in the queries tests) — and `ipreg athena`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lakeDdl } from '../schemas/athena.js';
import { lakePartitionValues } from '../pipelines/partition-values.js';
import { athenaClient, runAthenaQuery } from '../src/athena/athena.js';
import type { AthenaConfig, S3Config } from '../src/config.js';
import { runCli } from './support/run-cli.js';
import { silentLog } from './support/small-world-lake.js';

interface Call {
  operation: string;
  body: Record<string, unknown>;
}

/**
 * Athena, as far as ipreg uses it: a query stays RUNNING for `runningPolls` looks, then SUCCEEDED
 * (its rows: a header and `rows` data rows, in pages of `pageSize`), or FAILED when its text says
 * FAIL_ME, or never ends when it says SLEEP.
 */
class AthenaStub {
  calls: Call[] = [];
  runningPolls = 2;
  rows = 3;
  pageSize = 2;
  readonly #queries = new Map<string, { sql: string; polls: number }>();
  server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? '').replace('AmazonAthena.', '');
      const body = JSON.parse(text || '{}') as Record<string, unknown>;
      this.calls.push({ operation, body });
      const reply = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(json));
      if (req.headers['content-type'] !== 'application/x-amz-json-1.1') return reply(400, { __type: 'InvalidRequestException', Message: 'bad content type' });
      if (operation === 'StartQueryExecution') {
        const id = `q-${this.#queries.size + 1}`;
        this.#queries.set(id, { sql: String(body['QueryString']), polls: 0 });
        return reply(200, { QueryExecutionId: id });
      }
      const query = this.#queries.get(String(body['QueryExecutionId']));
      if (query === undefined) return reply(400, { __type: 'InvalidRequestException', Message: 'no such query' });
      const dml = /^\s*(SELECT|WITH)/i.test(query.sql);
      if (operation === 'GetQueryExecution') {
        query.polls++;
        const state = query.sql.includes('SLEEP') || query.polls <= this.runningPolls ? 'RUNNING' : query.sql.includes('FAIL_ME') ? 'FAILED' : 'SUCCEEDED';
        const status = state === 'FAILED' ? { State: state, StateChangeReason: 'SYNTAX_ERROR', AthenaError: { ErrorCategory: 2, ErrorMessage: "line 1:8: Column 'fail_me' cannot be resolved" } } : { State: state };
        return reply(200, { QueryExecution: { QueryExecutionId: body['QueryExecutionId'], Query: query.sql, StatementType: dml ? 'DML' : 'DDL', Status: status, Statistics: { DataScannedInBytes: 1234 } } });
      }
      if (operation === 'GetQueryResults') {
        const all = dml ? [['register', 'n'], ...Array.from({ length: this.rows }, (_, i) => [`r${i}`, i === 1 ? null : String(i * 10)])] : [];
        const from = Number(body['NextToken'] ?? 0);
        const page = all.slice(from, from + this.pageSize);
        const next = from + this.pageSize < all.length ? String(from + this.pageSize) : undefined;
        return reply(200, {
          ResultSet: { ResultSetMetadata: { ColumnInfo: dml ? [{ Name: 'register', Type: 'varchar' }, { Name: 'n', Type: 'bigint' }] : [] }, Rows: page.map((r) => ({ Data: r.map((v) => (v === null ? {} : { VarCharValue: v })) })) },
          ...(next === undefined ? {} : { NextToken: next }),
        });
      }
      if (operation === 'StopQueryExecution') return reply(200, {});
      return reply(400, { __type: 'InvalidRequestException', Message: `unknown operation ${operation}` });
    });
  });
}

describe('the Athena client, against a stub of its protocol', () => {
  const stub = new AthenaStub();
  let endpoint: string;
  const s3: S3Config = { endpoint: undefined, region: 'eu-west-1', forcePathStyle: false, accessKeyId: 'AKIDSTUB', secretAccessKey: 'stub-secret', sessionToken: undefined, maxAttempts: 2, partSizeBytes: 16 << 20, queueSize: 2 };
  const athena = (): AthenaConfig => ({ database: 'lake_db', workgroup: 'analysts', output: 's3://results-bucket/athena/', region: 'eu-west-1', endpoint, timeoutSeconds: 5 });
  const place = { database: 'lake_db', workgroup: 'analysts', output: 's3://results-bucket/athena/', timeoutMs: 5000, poll: { firstMs: 20, factor: 2, maxMs: 100 } };
  const env = () => ({ IPREG_ATHENA_ENDPOINT: endpoint, IPREG_ATHENA_DATABASE: 'lake_db', IPREG_ATHENA_WORKGROUP: 'analysts', AWS_ACCESS_KEY_ID: 'AKIDSTUB', AWS_SECRET_ACCESS_KEY: 'stub-secret', AWS_REGION: 'eu-west-1' });

  beforeAll(async () => {
    await new Promise<void>((resolve) => stub.server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(stub.server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    stub.calls = [];
    stub.runningPolls = 2;
  });
  afterAll(async () => {
    await new Promise((resolve) => stub.server.close(resolve));
  });

  it('starts the query in the workgroup and database, polls at a growing interval until it ends, and pages its rows without the header', async () => {
    const client = await athenaClient(athena(), s3);
    const waits: number[] = [];
    stub.runningPolls = 4;
    const result = await runAthenaQuery(client, 'SELECT register, count(*) AS n FROM companies GROUP BY register', { ...place, sleep: async (ms) => waits.push(ms) }, silentLog);
    client.destroy();
    expect(stub.calls[0]).toMatchObject({
      operation: 'StartQueryExecution',
      body: { QueryString: 'SELECT register, count(*) AS n FROM companies GROUP BY register', WorkGroup: 'analysts', QueryExecutionContext: { Database: 'lake_db' }, ResultConfiguration: { OutputLocation: 's3://results-bucket/athena/' } },
    });
    // Four looks saw it running: waits of 20, 40, 80 ms, then the cap of 100.
    expect(stub.calls.filter((c) => c.operation === 'GetQueryExecution')).toHaveLength(5);
    expect(waits).toEqual([20, 40, 80, 100]);
    expect(stub.calls.filter((c) => c.operation === 'GetQueryResults').map((c) => c.body['NextToken'] ?? null)).toEqual([null, '2']);
    expect(result).toMatchObject({ queryExecutionId: 'q-1', statementType: 'DML', columns: ['register', 'n'], rows: [['r0', '0'], ['r1', null], ['r2', '20']], scannedBytes: 1234 });
  });

  it("fails with Athena's own message when the query fails", async () => {
    const client = await athenaClient(athena(), s3);
    await expect(runAthenaQuery(client, 'SELECT FAIL_ME FROM companies', place, silentLog)).rejects.toThrow("Athena query q-2 failed: line 1:8: Column 'fail_me' cannot be resolved");
    client.destroy();
  });

  it('stops a query that runs past the time limit', async () => {
    const client = await athenaClient(athena(), s3);
    await expect(runAthenaQuery(client, 'SELECT SLEEP', { ...place, timeoutMs: 300 }, silentLog)).rejects.toThrow(/still running after 0 s: stopped/);
    client.destroy();
    expect(stub.calls.at(-1)).toMatchObject({ operation: 'StopQueryExecution', body: { QueryExecutionId: 'q-3' } });
  });

  it('ipreg athena register makes the database, then each table (dropped and made again) and view, in order', async () => {
    stub.runningPolls = 0;
    const r = await runCli(['athena', 'register', '--lake', 's3://acme-lake/ipreg', '--log-level', 'warn'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    const sent = stub.calls.filter((c) => c.operation === 'StartQueryExecution').map((c) => c.body);
    const ddl = lakeDdl('s3://acme-lake/ipreg', lakePartitionValues());
    expect(sent[0]).toMatchObject({ QueryString: 'CREATE DATABASE IF NOT EXISTS `lake_db`', WorkGroup: 'analysts' });
    expect(sent[0]?.['QueryExecutionContext']).toBeUndefined();
    // The SDK makes each start idempotent: a retried request is not a second query.
    expect(new Set(sent.map((b) => b['ClientRequestToken'])).size).toBe(sent.length);
    const expected = ddl.flatMap((d) => (d.sql.startsWith('CREATE OR REPLACE VIEW') ? [d.sql.trimEnd()] : [`DROP TABLE IF EXISTS \`${d.name}\``, d.sql.trimEnd().replace(/;$/, '')]));
    expect(sent.slice(1).map((b) => b['QueryString'])).toEqual(expected);
    expect(sent.slice(1).every((b) => (b['QueryExecutionContext'] as { Database: string }).Database === 'lake_db')).toBe(true);
    expect(r.stdout.trim().split('\n')).toHaveLength(1 + ddl.length);
  });

  it('ipreg athena register --views-only leaves the tables to the deployment', async () => {
    stub.runningPolls = 0;
    const r = await runCli(['athena', 'register', '--lake', 's3://acme-lake/ipreg', '--views-only', '--log-level', 'warn'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    const sent = stub.calls.filter((c) => c.operation === 'StartQueryExecution').map((c) => String(c.body['QueryString']));
    expect(sent).toEqual(['CREATE DATABASE IF NOT EXISTS `lake_db`', ...lakeDdl('s3://acme-lake/ipreg', lakePartitionValues()).filter((d) => d.sql.startsWith('CREATE OR REPLACE VIEW')).map((d) => d.sql.trimEnd())]);
  });

  it('ipreg athena query prints the rows as CSV', async () => {
    stub.runningPolls = 0;
    const r = await runCli(['athena', 'query', 'SELECT register, n FROM t', '--format', 'csv', '--log-level', 'warn'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('register,n\nr0,0\nr1,\nr2,20\n');
  });
});
