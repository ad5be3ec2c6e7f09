/**
 * `npm run bench -- serve [--index FILE] [--seconds N] [--rounds N] [--connections N] [--node-options "FLAGS"]`: the resolver over HTTP
 * against a server on the same stack (node:http) that answers every request with a fixed JSON body of
 * the resolver's mean answer size, both in their own process, loaded by `wrk` (Debian package) on
 * 127.0.0.1 with random IPv4 addresses; the resolver runs compiled, as deployed. Then the batch endpoint's addresses per second, and a hot swap
 * under load: failed requests, p99 during the swap, and the resolver's peak RSS.
 *
 * Without --index, the index of the real @ip-location-db/asn ranges is built (as `bench -- index` does);
 * pass the full world's index file for the figure.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable } from '../src/cli/format-table.js';
import { formatIpv4 } from '../src/ip/address.js';
import { openIndex } from '../src/index-file/read.js';
import { AnswerBuild } from '../src/serve/answer.js';
import type { Benchmark } from './benchmarks.js';
import { asnPackage, ASN_PACKAGE } from './index.js';
import { mb, measureInChild, procMemory } from './measure.js';

const option = (args: string[], name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
/** The resolver runs as it is deployed: compiled (the benchmark builds dist/ first), not through tsx. */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'dist/src/cli/main.js');
const FIXED = fileURLToPath(new URL('./fixed-server.ts', import.meta.url));

/** wrk's request script: a random IPv4 address per request (uniform over 1.0.0.0–223.255.255.255). */
const LUA = `
math.randomseed(42)
request = function()
  local path = "/v1/lookup/" .. math.random(1, 223) .. "." .. math.random(0, 255) .. "." .. math.random(0, 255) .. "." .. math.random(0, 255)
  return wrk.format("GET", path)
end
`;

interface WrkResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  failed: number;
}

function wrkPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('the serve benchmark needs wrk: apt-get install -y wrk');
  }
}

/** Runs wrk against `url` and parses its report. */
async function wrk(url: string, seconds: number, connections: number, script: string): Promise<WrkResult> {
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(wrkPath(), ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.once('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited with code ${code}: ${text}`))));
  });
  const ms = (label: string) => {
    const m = new RegExp(`^\\s*${label}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(out);
    if (m === null) throw new Error(`no ${label}% latency in wrk's report:\n${out}`);
    return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
  };
  const count = (re: RegExp) => Number(re.exec(out)?.[1] ?? 0);
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]),
    p50Ms: ms('50'),
    p99Ms: ms('99'),
    requests: count(/(\d+) requests in/),
    failed: count(/Non-2xx or 3xx responses: (\d+)/) + (errors === null ? 0 : errors.slice(1).reduce((n, v) => n + Number(v), 0)),
  };
}

/** Each figure's median over the rounds (this machine's loopback throughput varies by a fifth from run to run). */
function medianRun(runs: WrkResult[]): WrkResult {
  const median = (f: (r: WrkResult) => number) => runs.map(f).sort((a, b) => a - b)[Math.floor(runs.length / 2)] as number;
  return { rps: median((r) => r.rps), p50Ms: median((r) => r.p50Ms), p99Ms: median((r) => r.p99Ms), requests: median((r) => r.requests), failed: median((r) => r.failed) };
}

/** Starts a child process (a .ts script through tsx) and waits until `ready` says so. */
/**
 * Node options for both servers (the same stack): none by default, as `ipreg serve` runs. docs/resolver.md's
 * "Running the resolver" measures `--max-semi-space-size=4`: about 30 MB less under load, at a cost
 * in throughput — try it with `--node-options "--max-semi-space-size=4"`.
 */
const RESOLVER_NODE_OPTIONS = '';

async function startChild(args: string[], nodeOptions: string, ready: () => Promise<boolean>): Promise<ChildProcess> {
  const flags = nodeOptions.split(' ').filter((f) => f !== '');
  const child = spawn(process.execPath, [...flags, ...(args[0]?.endsWith('.ts') ? ['--import', 'tsx'] : []), ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 600; i++) {
    if (await ready().catch(() => false)) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error(`${args.join(' ')} did not get ready`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('close', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Addresses per second through POST /v1/lookup, batches of 10 000, two in flight, for `seconds`. */
async function batchRate(url: string, seconds: number): Promise<number> {
  let state = 7;
  const next = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0), state);
  const bodies = Array.from({ length: 8 }, () => JSON.stringify({ ips: Array.from({ length: 10_000 }, () => formatIpv4(next())) }));
  let addresses = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all([0, 1].map(async (lane) => {
    for (let i = lane; performance.now() < until; i += 2) {
      const res = await fetch(`${url}/v1/lookup`, { method: 'POST', body: bodies[i % bodies.length], headers: { 'content-type': 'application/json' } });
      if (res.status !== 200) throw new Error(`batch answered ${res.status}`);
      await res.arrayBuffer();
      addresses += 10_000;
    }
  }));
  return addresses / ((performance.now() - started) / 1000);
}

export const serveBenchmark: Benchmark = {
  name: 'serve',
  description: 'the resolver over HTTP (wrk) against a fixed-body server on the same stack; batch addresses/s; a hot swap under load',
  async run(args) {
    const seconds = Number(option(args, '--seconds') ?? 10);
    const connections = Number(option(args, '--connections') ?? 32);
    const rounds = Number(option(args, '--rounds') ?? 3);
    const nodeOptions = option(args, '--node-options') ?? RESOLVER_NODE_OPTIONS;
    const dir = await mkdtemp(join(tmpdir(), 'ipreg-bench-serve-'));
    try {
      let indexPath = option(args, '--index');
      if (indexPath === undefined) {
        indexPath = join(dir, 'asn.idx');
        process.stdout.write(`no --index: building the index of ${ASN_PACKAGE}…\n`);
        await measureInChild('./index-case.ts', ['real', await asnPackage(), indexPath]);
      }
      process.stdout.write('building dist/ (the resolver runs compiled)…\n');
      execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
      const served = join(dir, 'served.idx');
      await copyFile(indexPath, served);
      const fileBytes = (await stat(served)).size;
      // The fixed server's body: the resolver's mean answer size over random addresses.
      const answers = new AnswerBuild(openIndex(await readFile(served)));
      let total = 0;
      for (let i = 0; i < 20_000; i++) total += Buffer.byteLength(answers.json(answers.reader.lookupIdV4(Math.floor(Math.random() * 0xe0000000) + 0x01000000)));
      const bodyBytes = Math.round(total / 20_000);
      const script = join(dir, 'random.lua');
      await writeFile(script, LUA);
      const [resolverPort, fixedPort] = [18_400 + Math.floor(Math.random() * 500), 18_900 + Math.floor(Math.random() * 500)];
      const resolverUrl = `http://127.0.0.1:${resolverPort}`;
      const fixedUrl = `http://127.0.0.1:${fixedPort}`;
      process.stdout.write(`both servers run with node ${nodeOptions || '(no options)'}\n`);
      const resolver = await startChild([MAIN, 'serve', '--index', served, '--port', String(resolverPort), '--log-level', 'warn'], nodeOptions, async () => (await fetch(`${resolverUrl}/readyz`)).status === 200);
      const fixed = await startChild([FIXED, String(fixedPort), String(bodyBytes)], nodeOptions, async () => (await fetch(fixedUrl)).status === 200);
      try {
        process.stdout.write(`warming up both servers…\n`);
        await wrk(fixedUrl, 3, connections, script);
        await wrk(resolverUrl, 3, connections, script);
        process.stdout.write(`measuring ${rounds} rounds of ${seconds} s each, alternating, ${connections} connections, mean answer ${bodyBytes} bytes…\n`);
        const bases: WrkResult[] = [];
        const ourRuns: WrkResult[] = [];
        for (let round = 0; round < rounds; round++) {
          bases.push(await wrk(fixedUrl, seconds, connections, script));
          ourRuns.push(await wrk(resolverUrl, seconds, connections, script));
        }
        const [base, ours] = [medianRun(bases), medianRun(ourRuns)];
        const batch = await batchRate(resolverUrl, seconds);
        // The peak is the swap's own: the kernel's high-water mark is reset first (5 > clear_refs).
        const before = await procMemory(resolver.pid as number, 'VmRSS');
        await writeFile(`/proc/${resolver.pid}/clear_refs`, '5');
        // Hot swap: the same file renamed over itself (a new inode: a new version), then SIGHUP, mid-run.
        const swapping = wrk(resolverUrl, seconds, connections, script);
        await new Promise((resolve) => setTimeout(resolve, (seconds * 1000) / 3));
        await copyFile(indexPath, `${served}.new`);
        await rename(`${served}.new`, served);
        resolver.kill('SIGHUP');
        const swap = await swapping;
        const reloads = /ipreg_reloads_total\{outcome="success"\} (\d+)/.exec(await (await fetch(`${resolverUrl}/metrics`)).text())?.[1];
        const peak = await procMemory(resolver.pid as number, 'VmHWM');
        const rows = [
          ['GET /v1/lookup/{ip}', 'requests/s', base.rps.toFixed(0), ours.rps.toFixed(0), `${((ours.rps / base.rps) * 100).toFixed(1)} %`, '≥ 95 %'],
          ['GET /v1/lookup/{ip}', 'p50 latency', `${base.p50Ms.toFixed(3)} ms`, `${ours.p50Ms.toFixed(3)} ms`, `+${(ours.p50Ms - base.p50Ms).toFixed(3)} ms`, ''],
          ['GET /v1/lookup/{ip}', 'p99 latency', `${base.p99Ms.toFixed(3)} ms`, `${ours.p99Ms.toFixed(3)} ms`, `+${(ours.p99Ms - base.p99Ms).toFixed(3)} ms`, '≤ +0.5 ms'],
          ['POST /v1/lookup', 'addresses/s', '', batch.toFixed(0), '', '≥ 1 000 000'],
          ['hot swap under load', 'failed requests', '', `${swap.failed} of ${swap.requests}`, '', '0'],
          ['hot swap under load', 'p99 during / steady', '', `${swap.p99Ms.toFixed(3)} ms / ${ours.p99Ms.toFixed(3)} ms`, `${(swap.p99Ms / ours.p99Ms).toFixed(2)}×`, '≤ 2×'],
          ['hot swap under load', 'resolver RSS before', '', `${mb(before)} MB`, '', ''],
          ['hot swap under load', 'resolver peak RSS', '', `${mb(peak)} MB`, `file ${mb(fileBytes)} MB`, `< ${mb(2 * fileBytes + 100e6)} MB`],
          ['hot swap under load', 'builds swapped in', '', String(reloads ?? '?'), '', '2 (start, swap)'],
        ];
        process.stdout.write(formatTable(['route', 'figure', 'fixed-body server', 'ipreg', 'ratio', 'target'], rows));
      } finally {
        await stopChild(resolver);
        await stopChild(fixed);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
