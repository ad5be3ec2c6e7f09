/**
 * `ipreg eval links --world DIR`: the links of a snapshot against a generated world's truth.
 * `ipreg eval classes --cases FILE --routing FILE…`: the network classes against a labelled set of real networks.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { IpregError } from '../../errors.js';
import type { LinkEvaluation, LinkScore } from '../../links/evaluate.js';
import type { ClassEvaluation } from '../../links/evaluate-classes.js';
import { RANGE_CLASSES } from '../../links/class-rules.js';
import type { CommandRunner } from '../command-runner.js';
import { formatTable } from '../format-table.js';
import { parseSnapshot } from './run-command.js';
import { worldSnapshot } from '../../pipeline/snapshot.js';

/** The targets the links must meet on a world (issue: precision ≥ 0.98, recall ≥ 0.90, ≤ 0.1 % of access ranges linked). */
export const LINK_TARGETS = { precision: 0.98, recall: 0.9, accessLinkedShare: 0.001 } as const;

const pct = (x: number) => x.toFixed(3);

function scoreRow(label: string, s: LinkScore): string[] {
  return [label, String(s.truthLinks), String(s.predictedLinks), String(s.correct), pct(s.precision), pct(s.recall), pct(s.f1)];
}

/** The report of an evaluation, for a person. */
export function evaluationReport(e: LinkEvaluation): string {
  const lines: string[] = [];
  lines.push(`${e.objects} WHOIS ranges in the truth, ${e.unmatchedObjects} not in company_links (dropped as malformed at ingest)\n`);
  lines.push(formatTable(['slice', 'truth links', 'predicted', 'correct', 'precision', 'recall', 'F1'], [scoreRow('all', e.overall), ...Object.entries(e.byCountry).map(([c, s]) => scoreRow(c, s))]));
  lines.push(`\n${formatTable(['rule', 'predicted', 'correct', 'precision'], Object.entries(e.byRule).map(([r, s]) => [r, String(s.predicted), String(s.correct), pct(s.precision)]))}`);
  const predicted = [...RANGE_CLASSES, 'missing'];
  lines.push(
    `\nclasses (rows: truth, columns: predicted)\n${formatTable(
      ['truth \\ predicted', ...predicted],
      RANGE_CLASSES.filter((c) => Object.keys(e.confusion[c] ?? {}).length > 0).map((c) => [c, ...predicted.map((p) => String(e.confusion[c]?.[p] ?? 0))]),
    )}`,
  );
  lines.push(`\n${formatTable(['class rule', 'ranges', 'right class', 'precision'], Object.entries(e.byClassRule).map(([r, s]) => [r, String(s.ranges), String(s.correct), pct(s.precision)]))}`);
  lines.push(`\naccess-provider ranges (isp, mobile) linked to a company: ${e.accessLinked} of ${e.accessRanges} (${(e.accessLinkedShare * 100).toFixed(2)} %)\n`);
  lines.push(
    `targets: precision ≥ ${LINK_TARGETS.precision}, recall ≥ ${LINK_TARGETS.recall}, access linked ≤ ${LINK_TARGETS.accessLinkedShare * 100} % — ${meetsTargets(e) ? 'met' : 'NOT met'}\n`,
  );
  return lines.join('');
}

/** Whether an evaluation meets the targets. */
export function meetsTargets(e: LinkEvaluation): boolean {
  return e.overall.precision >= LINK_TARGETS.precision && e.overall.recall >= LINK_TARGETS.recall && e.accessLinkedShare <= LINK_TARGETS.accessLinkedShare;
}

/** The targets of the classes on the real labelled set (issue 23): with the operator list, and without it. */
export const CLASS_TARGETS = { accuracy: 0.95, accuracyWithoutOperators: 0.9 } as const;

/**
 * An evidence's class confidence as CLASS_CONFIDENCE takes it (docs/linking.md): its precision with one
 * right and one wrong case added (Laplace's rule, so that a few cases do not make a certainty), rounded
 * down to two places.
 */
export function calibrated(s: { predicted: number; correct: number }): number {
  return Math.floor(((s.correct + 1) / (s.predicted + 2)) * 100) / 100;
}

/** The report of a class evaluation, for a person. */
export function classReport(e: ClassEvaluation, withOperators: boolean): string {
  const lines: string[] = [];
  const target = withOperators ? CLASS_TARGETS.accuracy : CLASS_TARGETS.accuracyWithoutOperators;
  lines.push(`${e.cases} labelled networks (${e.unrouted} not in the routing data: classed by name alone); known-operator list ${withOperators ? 'on' : 'off'}\n`);
  if (e.routingSkipped > 0) lines.push(`${e.routingSkipped} lines of the routing files were no announced range and were skipped\n`);
  lines.push(`accuracy ${pct(e.accuracy)} (${e.correct} of ${e.cases}); target ≥ ${target} — ${e.accuracy >= target ? 'met' : 'NOT met'}\n`);
  lines.push(`linkable or not (isp and mobile against the rest): ${pct(e.linkable.accuracy)} (${e.linkable.correct} of ${e.cases}); access providers given a linkable class ${e.accessAsLinkable.length}, linkable networks given an access class ${e.linkable.linkableAsAccess}\n`);
  const classes = Object.keys(e.confusion);
  lines.push(`\nclasses (rows: label, columns: predicted)\n${formatTable(['label \\ predicted', ...classes], classes.map((c) => [c, ...classes.map((p) => String(e.confusion[c]?.[p] ?? 0))]))}`);
  lines.push(
    `\n${formatTable(
      ['evidence', 'predicted', 'correct', 'precision', 'calibrated'],
      Object.entries(e.byEvidence)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, s]) => [k, String(s.predicted), String(s.correct), pct(s.precision), calibrated(s).toFixed(2)]),
    )}`,
  );
  lines.push(`\naccess providers (isp, mobile) given a class whose ranges may be linked: ${e.accessAsLinkable.length}\n`);
  for (const a of e.accessAsLinkable) lines.push(`  AS${a.asn} ${a.name}: ${a.predicted} (${a.evidence})\n`);
  return lines.join('');
}

/** Registers `ipreg eval`. */
export function registerEvalCommand(program: Command, run: CommandRunner): void {
  const evaluate = program.command('eval').description('measure the pipelines against a generated world');
  evaluate
    .command('links')
    .description("precision, recall and F1 of company_links, the confusion of classes, access ranges wrongly linked — against a world's truth")
    .requiredOption('--world <dir>', 'the generated world the lake was built from')
    .option('--snapshot <date>', 'snapshot of the links (default: the world’s)', parseSnapshot)
    .option('--json', 'print the evaluation as JSON')
    .action((options: { world: string; snapshot?: string; json?: boolean }) =>
      run('eval', 'data', async (ctx) => {
        const snapshot = options.snapshot ?? (await snapshotOfWorld(options.world));
        const [{ snapshotFiles }, { evaluateLinks }, { openBuildDuckDb }] = await Promise.all([
          import('../../lake/snapshot-files.js'),
          import('../../links/evaluate.js'),
          import('../../lake/duckdb.js'),
        ]);
        const dir = await mkdtemp(join(tmpdir(), 'ipreg-eval-'));
        try {
          const links = await snapshotFiles(ctx.store(), 'company_links', snapshot, dir, 'links');
          const duck = await openBuildDuckDb(join(dir, 'duck'));
          try {
            const e = await evaluateLinks(duck, links, options.world);
            process.stdout.write(options.json === true ? `${JSON.stringify(e, null, 2)}\n` : evaluationReport(e));
          } finally {
            duck.closeSync();
          }
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }),
    );
  evaluate
    .command('classes')
    .description('accuracy, confusion and per-evidence precision of the network classes on a labelled set of real networks')
    .requiredOption('--cases <file>', 'labelled networks: CSV with asn, as_name, rir, country, class, reason')
    .option('--routing <file...>', 'routing files (ip-location-db asn CSV: asn-ipv4.csv, asn-ipv6.csv) for the space each network announces')
    .option('--no-operators', 'switch the known-operator list off (what the other evidence carries alone)')
    .option('--operators-file <file>', 'more known operators (by,value,class,established), before the built-in list')
    .option('--wrong', 'list every case classed wrong')
    .option('--json', 'print the evaluation as JSON')
    .action((options: { cases: string; routing?: string[]; operators: boolean; operatorsFile?: string; wrong?: boolean; json?: boolean }) =>
      run('eval', 'data', async () => {
        const [{ evaluateClasses }, { openBuildDuckDb }, data, { readFile }] = await Promise.all([
          import('../../links/evaluate-classes.js'),
          import('../../lake/duckdb.js'),
          import('../../links/class-data.js'),
          import('node:fs/promises'),
        ]);
        const extra = options.operatorsFile === undefined ? [] : data.parseOperators(await readFile(options.operatorsFile, 'utf8'), options.operatorsFile);
        const operators = options.operators ? [...extra, ...data.builtinOperators()] : [];
        const dir = await mkdtemp(join(tmpdir(), 'ipreg-eval-'));
        try {
          const duck = await openBuildDuckDb(join(dir, 'duck'));
          try {
            const e = await evaluateClasses(duck, options.cases, options.routing ?? [], { words: data.builtinClassWords(), operators });
            if (options.json === true) process.stdout.write(`${JSON.stringify(e, null, 2)}\n`);
            else {
              process.stdout.write(classReport(e, options.operators));
              if (options.wrong === true) for (const w of e.wrong) process.stdout.write(`  wrong: AS${w.asn} ${w.name}: ${w.truth} classed ${w.predicted} (${w.evidence} ${w.value})\n`);
            }
          } finally {
            duck.closeSync();
          }
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }),
    );
}

async function snapshotOfWorld(world: string): Promise<string> {
  const snapshot = await worldSnapshot(world);
  if (snapshot === undefined) throw new IpregError('USAGE', `${world} is not a generated world (no world.json with a snapshot): pass --snapshot`);
  return snapshot;
}
