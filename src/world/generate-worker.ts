/** The worker thread that generates the register half of a world (see generate.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import type { LogLevel } from '../config.js';
import { createLogger } from '../log.js';
import { generateRegisters, type HalfOptions } from './generate.js';

const { half, logLevel } = workerData as { half: HalfOptions; logLevel: LogLevel };
const log = createLogger({ level: logLevel, stream: 'stdout', pretty: false }).child({ command: 'generate', half: 'registers' });
parentPort?.postMessage(await generateRegisters(half, log));
