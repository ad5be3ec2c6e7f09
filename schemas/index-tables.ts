/**
 * The index as a table: `ip_ranges`, the disjoint ranges of an index build (most specific range wins,
 * neighbours with the same answer merged, gaps left out) with their answer, for analysts' range joins.
 * Partitioned snapshot=… and written as zstd Parquet; the rows are the index file's ranges exactly.
 */
import { RANGE_COLUMNS } from '../src/lake/range-columns.js';
import type { TableSchema } from '../src/lake/table-schema.js';

export const IP_RANGES: TableSchema = {
  name: 'ip_ranges',
  description: 'disjoint address ranges with their answer: class, country and the linked company; the ranges of the index build',
  columns: [
    ...RANGE_COLUMNS,
    { name: 'range_class', type: 'VARCHAR', description: 'business, isp, hosting, mobile, education, government or unknown (an RIR allocation no WHOIS range describes)' },
    { name: 'country', type: 'VARCHAR', description: 'country of the WHOIS range or, failing one, of the RIR allocation' },
    { name: 'register', type: 'VARCHAR', description: 'register of the linked company; null when not linked' },
    { name: 'register_id', type: 'VARCHAR', description: "the company's number in that register" },
    { name: 'company_name', type: 'VARCHAR', description: "the company's registered name" },
    { name: 'company_country', type: 'VARCHAR', description: "the company's country" },
    { name: 'lei', type: 'VARCHAR', description: "the company's LEI, where known" },
    { name: 'link_rule', type: 'VARCHAR', description: 'the rule that made the link (see company_links)' },
    { name: 'confidence', type: 'DOUBLE', description: 'calibrated confidence of the link' },
    { name: 'sources', type: 'VARCHAR[]', description: 'ids of the sources the answer comes from, whose attribution it carries' },
    { name: 'company_city', type: 'VARCHAR', description: "city of the company's registered office" },
    { name: 'industry_scheme', type: 'VARCHAR', description: 'scheme of industry_codes: SIC2007, NAFRev2, NACE2008, SN2007, EMTAK' },
    { name: 'industry_codes', type: 'VARCHAR[]', description: "the company's industry codes as its register publishes them, main first" },
    { name: 'website', type: 'VARCHAR', description: "the company's website as its register publishes it" },
    { name: 'asn', type: 'BIGINT', description: 'the autonomous system announcing the range in the routing data (the most specific announcement); null when none does' },
    { name: 'as_name', type: 'VARCHAR', description: "that network's name in the routing data" },
    { name: 'build_id', type: 'VARCHAR', description: 'the index build these ranges are' },
  ],
  partitions: [{ name: 'snapshot', type: 'VARCHAR', description: 'snapshot date (YYYY-MM-DD) of the inputs' }],
};

export const INDEX_TABLES: readonly TableSchema[] = [IP_RANGES];
