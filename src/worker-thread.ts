/**
 * Starting a worker thread from a module beside the caller, whether the project runs compiled (dist,
 * .js) or from source through tsx (tests, `npm run bench`): a worker does not inherit tsx's loader, so
 * from source it registers tsx first.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts the worker module `name` (without extension) that sits beside `callerUrl` (the caller's
 * import.meta.url).
 */
export function startWorker(callerUrl: string, name: string, options: WorkerOptions): Worker {
  if (callerUrl.endsWith('.ts')) {
    const tsxPackage = createRequire(callerUrl).resolve('tsx/package.json');
    const tsx = pathToFileURL(join(dirname(tsxPackage), 'dist/esm/api/index.mjs')).href;
    const entry = new URL(`./${name}.ts`, callerUrl).href;
    const code = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
    return new Worker(code, { ...options, eval: true });
  }
  return new Worker(new URL(`./${name}.js`, callerUrl), options);
}
