/** The pipelines `ipreg run` knows, by name. */
import { ipAllocations } from './ip-allocations.js';

/** Every pipeline, in the order `ipreg run --help` lists them. */
export const PIPELINES = [ipAllocations] as const;
