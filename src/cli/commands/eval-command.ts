/** `ipreg eval links --world DIR`: the links of a snapshot against a generated world's truth. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { IpregError } from '../../errors.js';
import type { LinkEvaluation, LinkScore } from '../../links/evaluate.js';
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
}

async function snapshotOfWorld(world: string): Promise<string> {
  const snapshot = await worldSnapshot(world);
  if (snapshot === undefined) throw new IpregError('USAGE', `${world} is not a generated world (no world.json with a snapshot): pass --snapshot`);
  return snapshot;
}
