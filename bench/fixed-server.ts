/**
 * The serve benchmark's baseline: a node:http server on the same stack as the resolver that answers
 * every request with one fixed JSON body of a given size. `tsx bench/fixed-server.ts <port> <bytes>`.
 */
import { createServer } from 'node:http';

const [port, bytes] = process.argv.slice(2).map(Number) as [number, number];
const head = '{"build_id":"fixed","found":true,"pad":"';
const body = `${head}${'x'.repeat(Math.max(0, bytes - head.length - 2))}"}`;
const headers = { 'content-type': 'application/json; charset=utf-8' };
createServer((req, res) => {
  res.writeHead(200, headers);
  res.end(body);
}).listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => process.exit(0));
