/** The list of benchmarks `npm run bench` knows. */
import { generateBenchmark } from './generate.js';
import { ipAllocationsBenchmark } from './ip-allocations.js';
import { indexBenchmark } from './index.js';
import { linksBenchmark } from './links.js';
import { nightlyBenchmark } from './nightly.js';
import { registersBenchmark } from './registers.js';
import { serveBenchmark } from './serve.js';
import { storeBenchmark } from './store.js';

/** A benchmark: a name, what it measures, and how to run it with its command-line options. */
export interface Benchmark {
  name: string;
  description: string;
  run(args: string[]): Promise<void>;
}

export const BENCHMARKS: readonly Benchmark[] = [storeBenchmark, generateBenchmark, ipAllocationsBenchmark, registersBenchmark, linksBenchmark, indexBenchmark, serveBenchmark, nightlyBenchmark];
