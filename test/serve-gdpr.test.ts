/**
 * GDPR, proven: the resolver process, driven at every log level with thousands of lookups of known
 * addresses (IPv4, IPv6, IPv4-mapped, malformed, and the same addresses written as hex, integers, with
 * leading zeros, as PTR names and percent-encoded; one by one and in batches; with the visitor's address
 * in X-Forwarded-For too), through every path that can fail (503 before a build is loaded, bad input,
 * wrong methods, wrong API keys, oversized bodies, a batch not sent as JSON, headers past the limit,
 * clients that hang up mid-body, requests that are not HTTP, a broken build refused), keeps none of
 * them: no log line, metric, response, error or file it wrote holds any of those addresses in any of
 * those textual forms.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LOG_LEVELS } from '../src/config.js';
import { formatIpv4, formatIpv6 } from '../src/ip/address.js';
import { goodFile, SOURCE } from './index-cases/cases.js';
import { useTempDir } from './support/temp-dir.js';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
/** tsx's loader by its path: the service runs in a folder of its own, where `--import tsx` would not resolve. */
const TSX = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/loader.mjs')).href;
const tempDir = useTempDir('gdpr');
/** The API key the service is started with. */
const KEY = 'gdpr-test-key-0123456789';

/** A fixed-seed generator, so a failure names addresses that can be looked at again. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Probe {
  /** What is sent. */
  text: string;
  /** Every textual form of the address it names, searched for afterwards. */
  forms: string[];
}

/** Known addresses: inside the index's ranges and anywhere, IPv4 (≥ 2^31, ten-digit integers), IPv6, mapped, and malformed texts. */
function probes(seed: number, n: number): Probe[] {
  const next = random(seed);
  const out: Probe[] = [];
  // The case file's IPv4 lookups, but not the boundaries (0.0.0.0 is "0" as an integer: found everywhere).
  const toInt = (ip: string) => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  const inRanges = SOURCE.lookups.map((l) => l.ip).filter((ip) => !ip.includes(':') && toInt(ip) >= 1e9 && toInt(ip) < 2 ** 32 - 1);
  for (let i = 0; i < n; i++) {
    const kind = i % 5;
    if (kind === 0 || kind === 1) {
      // Half near the index's ranges (answers found), half anywhere above 128.0.0.0.
      const base = kind === 0 ? toInt(inRanges[i % inRanges.length] as string) : 2 ** 31 + Math.floor(next() * 2 ** 31);
      out.push({ text: formatIpv4(base >>> 0), forms: v4forms(base >>> 0) });
    } else if (kind === 2) {
      const v6 = (0x2a01n << 112n) | (BigInt(Math.floor(next() * 2 ** 32)) << 64n) | (BigInt(Math.floor(next() * 2 ** 32)) << 16n) | BigInt(Math.floor(next() * 65536));
      out.push({ text: formatIpv6(v6), forms: v6forms(v6) });
    } else if (kind === 3) {
      const v4 = 2 ** 31 + Math.floor(next() * 2 ** 31);
      out.push({ text: `::ffff:${formatIpv4(v4)}`, forms: [...v4forms(v4), ...v6forms((0xffffn << 32n) | BigInt(v4))] });
    } else {
      // Malformed: an address with junk, or an octet out of range.
      const v4 = 2 ** 31 + Math.floor(next() * 2 ** 31);
      const text = i % 2 === 0 ? `${formatIpv4(v4)}x` : `${formatIpv4(v4).replace(/\.\d+$/, '')}.${300 + (i % 600)}`;
      out.push({ text, forms: [text, ...v4forms(v4).slice(0, i % 2 === 0 ? 2 : 0)] });
    }
  }
  return out;
}

function v4forms(v4: number): string[] {
  const octets = formatIpv4(v4).split('.');
  return [
    formatIpv4(v4),
    String(v4),
    `0x${v4.toString(16)}`,
    octets.map((o) => o.padStart(3, '0')).join('.'),
    `${[...octets].reverse().join('.')}.in-addr.arpa`,
    encodeURIComponent(formatIpv4(v4)).replaceAll('.', '%2E'),
  ];
}

/** Other ways to write an address a client may send: each must be refused or answered, never echoed. */
function otherTexts(p: Probe, i: number): string {
  return p.forms[2 + (i % (p.forms.length - 2))] ?? p.text;
}

function v6forms(v6: bigint): string[] {
  const expanded = Array.from({ length: 8 }, (_, g) => ((v6 >> BigInt(112 - 16 * g)) & 0xffffn).toString(16).padStart(4, '0')).join(':');
  const compressed = formatIpv6(v6);
  const nibbles = v6.toString(16).padStart(32, '0').split('').reverse().join('.');
  return [compressed, expanded, v6.toString(), `${nibbles}.ip6.arpa`, encodeURIComponent(compressed)];
}

/** Whether a form occurs in `text`, not as part of a longer number (any other neighbour counts: an echo is an echo). */
function occurs(text: string, form: string): boolean {
  const escaped = form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![0-9])${escaped}(?![0-9])`, 'i').test(text);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function filesBelow(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(await readFile(join(entry.parentPath, entry.name), 'latin1'));
  }
  return out;
}

describe('the resolver keeps no visitor address', () => {
  const levels = LOG_LEVELS.filter((l) => l !== 'silent');

  it.each(levels)('at log level %s: not in a log line, metric, response, error or file', async (level) => {
    const root = join(tempDir(), level);
    const [work, tmp, input] = [join(root, 'work'), join(root, 'tmp'), join(root, 'input')];
    for (const d of [work, tmp, input]) await mkdir(d, { recursive: true });
    // The service starts before a sound index is there (the file is a stub): the first lookups get 503.
    const indexPath = join(input, 'ipreg.idx');
    await writeFile(indexPath, 'not an index yet');
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', TSX, MAIN, 'serve', '--index', indexPath, '--port', String(port), '--log-level', level], {
      cwd: work,
      env: { PATH: process.env['PATH'] ?? '', TMPDIR: tmp, HOME: work, IPREG_SERVE_POLL_SECONDS: '1', IPREG_SERVE_API_KEYS: `gdpr:${createHash('sha256').update(KEY).digest('hex')}`, IPREG_SERVE_RATE_LIMIT: '1000000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => output.push(d));
    child.stderr.on('data', (d: Buffer) => output.push(d));
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    const url = `http://127.0.0.1:${port}`;
    const responses: string[] = [];
    let unauthorized = 0;
    const all = probes(levels.indexOf(level) + 1, 2500);
    const statuses = new Map<number, number>();
    const answered = async (res: Response) => {
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      responses.push(`${res.status} ${await res.text()}`);
    };
    try {
      for (let i = 0; ; i++) {
        const up = await fetch(`${url}/healthz`).then((r) => r.status, () => 0);
        if (up === 200) break;
        if (i > 200) throw new Error(`the service did not start: ${Buffer.concat(output).toString()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      for (const p of all.slice(0, 50)) await answered(await fetch(`${url}/v1/lookup/${encodeURIComponent(p.text)}`, { headers: { 'x-api-key': KEY, 'x-forwarded-for': p.text } }));
      expect(statuses.get(503)).toBeGreaterThanOrEqual(40);
      await writeFile(`${indexPath}.new`, goodFile({ ...SOURCE, buildId: `gdpr-${level}` }));
      await rename(`${indexPath}.new`, indexPath);
      child.kill('SIGHUP');
      for (let i = 0; ; i++) {
        const ready = await fetch(`${url}/readyz`).then((r) => r.status, () => 0);
        if (ready === 200) break;
        if (i > 200) throw new Error(`the service did not get ready: ${Buffer.concat(output).toString()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // One by one, eight at a time, the visitor's address also in X-Forwarded-For.
      const queue = all.slice(0, 2000);
      await Promise.all(Array.from({ length: 8 }, async () => {
        for (let p = queue.shift(); p !== undefined; p = queue.shift()) {
          // One request in ten with a wrong key: refused (401) with the address in the path and the headers.
          const key = queue.length % 10 === 0 ? 'wrong-key' : KEY;
          const res = await fetch(`${url}/v1/lookup/${encodeURIComponent(p.text)}?ip=${encodeURIComponent(p.text)}`, { headers: { 'x-api-key': key, 'x-forwarded-for': p.text, 'x-real-ip': p.text } });
          if (res.status === 401) unauthorized++;
          responses.push(await res.text());
        }
      }));
      expect(unauthorized).toBeGreaterThan(100);
      // Batches, one of them too large, one not JSON, one with a body over the limit; wrong methods.
      const rest = all.slice(2000);
      for (let i = 0; i < rest.length; i += 100) {
        const res = await fetch(`${url}/v1/lookup`, { method: 'POST', body: JSON.stringify({ ips: rest.slice(i, i + 100).map((p) => p.text) }), headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' } });
        responses.push(await res.text());
      }
      const texts = all.map((p) => p.text);
      for (const body of [JSON.stringify({ ips: Array.from({ length: 10_001 }, (_, i) => texts[i % texts.length]) }), `{"ips": ["${texts[0]}", ${texts[1]}]`, 'x'.repeat(3 * 1024 * 1024) + texts[2]]) {
        const res = await fetch(`${url}/v1/lookup`, { method: 'POST', body, headers: { 'x-api-key': KEY, 'content-type': 'application/json' } });
        responses.push(`${res.status} ${await res.text()}`);
      }
      for (const method of ['PUT', 'DELETE']) {
        const res = await fetch(`${url}/v1/lookup/${texts[3]}`, { method, headers: { 'x-api-key': KEY } });
        responses.push(`${res.status} ${await res.text()}`);
      }
      // The same addresses written other ways: hex, integer, leading zeros, PTR names, percent-encoded.
      for (const [i, p] of all.slice(0, 300).entries()) await answered(await fetch(`${url}/v1/lookup/${encodeURIComponent(otherTexts(p, i))}`, { headers: { 'x-api-key': KEY } }));
      // A batch not sent as JSON (415), headers past Node's limit (431).
      await answered(await fetch(`${url}/v1/lookup`, { method: 'POST', body: texts.slice(0, 50).join('\n'), headers: { 'x-api-key': KEY, 'content-type': 'text/plain' } }));
      await answered(await fetch(`${url}/v1/lookup/${encodeURIComponent(texts[5] as string)}`, { headers: { 'x-api-key': KEY, 'x-visitor': texts.slice(0, 2000).join(',') } }));
      // Clients that hang up mid-body, and requests that are not HTTP (the server's clientError path).
      for (const raw of [
        `POST /v1/lookup HTTP/1.1\r\nhost: x\r\nx-api-key: ${KEY}\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{"ips": ["${texts.slice(0, 20).join('", "')}`,
        `GET /v1/lookup/${texts[6]} HTTP/1.1\r\nhost: x\r\nthis is no header ${texts[7]}\r\n\r\n`,
        `${texts[8]} ${texts[9]} HTTP/9\r\n\r\n`,
      ]) {
        const socket = connect(port, '127.0.0.1');
        await new Promise<void>((resolve) => socket.on('connect', resolve));
        socket.on('data', (d: Buffer) => responses.push(d.toString('latin1')));
        socket.on('error', () => undefined);
        socket.write(raw);
        await new Promise((resolve) => setTimeout(resolve, 100));
        socket.destroy();
      }
      expect([415, 431, 400].map((code) => [code, (statuses.get(code) ?? 0) > 0])).toEqual([[415, true], [431, true], [400, true]]);
      // A broken build arrives and is refused (the reload failure path logs at error).
      const broken = goodFile({ ...SOURCE, buildId: `gdpr-${level}-broken` });
      broken[broken.length - 2] = (broken[broken.length - 2] as number) ^ 0xff;
      const failures = async () => Number((await (await fetch(`${url}/metrics`)).text()).match(/ipreg_reloads_total\{outcome="failure"\} (\d+)/)?.[1] ?? 0);
      const failedBefore = await failures();
      await writeFile(`${indexPath}.new`, broken);
      await rename(`${indexPath}.new`, indexPath);
      child.kill('SIGHUP');
      for (let i = 0; i < 100 && (await failures()) === failedBefore; i++) await new Promise((resolve) => setTimeout(resolve, 100));
      responses.push(await (await fetch(`${url}/metrics`)).text(), await (await fetch(`${url}/readyz`)).text(), await (await fetch(`${url}/v1/about`, { headers: { 'x-api-key': KEY } })).text());
      expect(responses.at(-2)).toContain('"last_reload_error":"');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    const written = await filesBelow(root).then((files) => files.filter((f) => !f.startsWith('IPREGIDX')));
    const logs = Buffer.concat(output).toString('utf8');
    if (level === 'trace') expect(logs.split('\n').filter((l) => l.includes('"msg":"request"')).length).toBeGreaterThan(2000);
    const haystacks = { logs, responses: responses.join('\n'), files: written.join('\n') };
    const hits: string[] = [];
    for (const p of all) {
      for (const form of p.forms) {
        for (const [where, text] of Object.entries(haystacks)) if (occurs(text, form)) hits.push(`${form} in ${where}`);
      }
    }
    expect(hits.slice(0, 40)).toEqual([]);
  });
});
