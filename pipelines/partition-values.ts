/** The project's values of the lake's enum partitions: every source the catalog knows, every pipeline's name. */
import type { PartitionValues } from '../schemas/partition-values.js';
import { SOURCES } from '../src/sources/catalog.js';
import { PIPELINE_NAMES } from './names.js';

/** The partitions' values: the catalog's sources, the pipelines, and `index-build` (the runs of `ipreg index build`). */
export function lakePartitionValues(): PartitionValues {
  return { sources: SOURCES, pipelines: [...PIPELINE_NAMES, 'index-build'] };
}
