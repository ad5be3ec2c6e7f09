/** The pipelines `ipreg run` knows, by name. */
import { ipAllocations } from './ip-allocations.js';
import { indexPipeline } from './index-build.js';
import { links } from './links.js';
import { nightly } from './nightly.js';
import { registers } from './registers.js';

/** Every pipeline, in the order `ipreg run --help` lists them. */
export const PIPELINES = [ipAllocations, registers, links, indexPipeline, nightly] as const;
