/**
 * The linking side of the lake: `company_links`, one row per WHOIS range (inetnum, inet6num) of a
 * snapshot with its class and, where the evidence is unambiguous and the class allows, the company
 * it belongs to. Partitioned snapshot=… and written as zstd Parquet.
 */
import { RANGE_COLUMNS } from '../src/lake/range-columns.js';
import type { TableSchema } from '../src/lake/table-schema.js';

export const COMPANY_LINKS: TableSchema = {
  name: 'company_links',
  description: 'every WHOIS range with its class (business, isp, hosting, mobile, education, government, unknown) and the registered company it is linked to, with evidence and confidence',
  columns: [
    ...RANGE_COLUMNS,
    { name: 'whois_source', type: 'VARCHAR', description: 'RPSL source the range comes from (ripe-rpsl, apnic-rpsl …)' },
    { name: 'object_class', type: 'VARCHAR', description: 'inetnum or inet6num' },
    { name: 'object_line', type: 'INTEGER', description: "line of the object in its dump (with whois_source, the object's identity in a snapshot)" },
    { name: 'netname', type: 'VARCHAR', description: 'netname of the range' },
    { name: 'status', type: 'VARCHAR', description: 'status of the range as published' },
    { name: 'country', type: 'VARCHAR', description: 'country attribute of the range' },
    { name: 'range_class', type: 'VARCHAR', description: 'business, isp, hosting, mobile, education, government or unknown; isp and mobile are never linked' },
    { name: 'class_rule', type: 'VARCHAR', description: 'the evidence that gave the class: a leaf rule (access-pool, hosting …), children-access …, operator-org, operator-name, words-<class>, network-<evidence>, default, assignment, correction-<kind>; holder-own- and unnamed-in- before the allocation\'s rule' },
    { name: 'class_evidence', type: 'VARCHAR', description: 'the value that carried the class: the netname, the operator pattern or handle, the words\' language, the announcing AS, the correction\'s value' },
    { name: 'class_confidence', type: 'DOUBLE', description: 'probability that the class is right: the measured precision of its rule (docs/linking.md)' },
    { name: 'asn', type: 'BIGINT', description: 'the AS announcing the range\'s first address in the routing data; null when none does or the lake has no routing data' },
    { name: 'as_name', type: 'VARCHAR', description: 'that network\'s name in the routing data' },
    { name: 'announced_by_holder', type: 'BOOLEAN', description: 'true when the announcing AS is an aut-num of the range\'s holder, false when the holder has networks and another announces it (leased or customer space), null when the holder has none or nothing announces it' },
    { name: 'outcome', type: 'VARCHAR', description: 'linked, ambiguous (several companies on the best evidence), unmatched, not-linkable (isp, mobile) or suppressed (an objection)' },
    { name: 'register', type: 'VARCHAR', description: 'register of the linked company (gb-companies-house, fr-sirene, no-brreg, be-kbo, ee-rik, gleif-lei)' },
    { name: 'register_id', type: 'VARCHAR', description: "the company's number in that register" },
    { name: 'company_name', type: 'VARCHAR', description: "the company's registered name" },
    { name: 'company_country', type: 'VARCHAR', description: "the company's country" },
    { name: 'lei', type: 'VARCHAR', description: "the company's LEI, where known" },
    { name: 'link_rule', type: 'VARCHAR', description: 'register-number, lei, domain, exact-name, other-name, netname, netname-prefix (a netname cut short) or exact-name-abroad (a holder registered in another country, its legal form agreeing)' },
    { name: 'evidence_attribute', type: 'VARCHAR', description: 'the WHOIS attribute that matched: org-name, descr or netname' },
    { name: 'evidence_text', type: 'VARCHAR', description: 'the WHOIS text that matched' },
    { name: 'score', type: 'DOUBLE', description: "the rule's score for the match" },
    { name: 'confidence', type: 'DOUBLE', description: 'probability that the link is right, calibrated per rule on the generated world (see README)' },
    { name: 'candidates', type: 'INTEGER', description: 'companies on the best evidence (1 for a link, 2 or more when ambiguous)' },
    { name: 'rule_version', type: 'VARCHAR', description: 'version of the linking rules' },
  ],
  partitions: [{ name: 'snapshot', type: 'VARCHAR', description: 'snapshot date (YYYY-MM-DD) of the inputs' }],
};

export const LINK_TABLES: readonly TableSchema[] = [COMPANY_LINKS];
