/**
 * `npm run bench -- <name> [options]`: runs one benchmark, which measures ipreg and the baseline its
 * issue names in the same run and prints both with their ratio. Benchmarks are not tests.
 */
import { BENCHMARKS } from './benchmarks.js';

const [name, ...args] = process.argv.slice(2);
const bench = BENCHMARKS.find((b) => b.name === name);
if (bench === undefined) {
  process.stderr.write(
    `usage: npm run bench -- <name> [options]\n\n${BENCHMARKS.map((b) => `  ${b.name.padEnd(16)} ${b.description}`).join('\n')}\n`,
  );
  process.exit(2);
}
await bench.run(args);
