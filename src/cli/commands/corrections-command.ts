/** `ipreg corrections add|list|rm`: users' class corrections ("report as ISP"), kept in the lake. */
import { InvalidArgumentError, type Command } from 'commander';
import { IpregError } from '../../errors.js';
import { CORRECTION_KINDS, correctionProblem, readCorrections, updateCorrections, type Correction, type CorrectionKind } from '../../links/corrections.js';
import { CORRECTIONS_KEY } from '../../lake/paths.js';
import { REGISTERS } from '../../sources/catalog.js';
import type { CommandRunner } from '../command-runner.js';
import { formatTable } from '../format-table.js';

function parseKind(value: string): CorrectionKind {
  if (!(CORRECTION_KINDS as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${CORRECTION_KINDS.join(', ')}`);
  return value as CorrectionKind;
}

const same = (a: Pick<Correction, 'by' | 'value'>, b: Pick<Correction, 'by' | 'value'>) => a.by === b.by && a.value.toLowerCase() === b.value.toLowerCase();

/** Registers `ipreg corrections`. */
export function registerCorrectionsCommand(program: Command, run: CommandRunner): void {
  const corrections = program
    .command('corrections')
    .description(`users' class corrections (${CORRECTIONS_KEY}): honoured by the next links run and index build`);

  corrections
    .command('add')
    .description('correct the class of a range (CIDR or "first - last"), a WHOIS organisation or a register company; replaces an earlier correction of the same thing')
    .requiredOption('--by <kind>', `what the correction names: ${CORRECTION_KINDS.join(', ')}`, parseKind)
    .requiredOption('--value <value>', 'range: 192.0.2.0/24 or "192.0.2.0 - 192.0.2.255"; org: the org handle (ORG-EXAMPLE1-RIPE); register: register:register_id (gb-companies-house:01234567)')
    .requiredOption('--class <class>', 'the class it is: business, isp, hosting, mobile, education, government or unknown')
    .requiredOption('--reason <text>', 'why, for whoever reads the list next')
    .action((options: { by: CorrectionKind; value: string; class: string; reason: string }) =>
      run('corrections.add', 'data', async (ctx) => {
        const correction: Correction = { by: options.by, value: options.value.trim(), class: options.class.trim(), reason: options.reason.trim() };
        const problem = correctionProblem(correction);
        if (problem !== undefined) throw new IpregError('USAGE', problem);
        // A register this lake does not know would never match: said now, not found out later.
        const register = correction.value.slice(0, correction.value.indexOf(':'));
        if (correction.by === 'register' && !REGISTERS.some((r) => r.id === register)) {
          throw new IpregError('USAGE', `value "${correction.value}" names no register of this lake (${REGISTERS.map((r) => r.id).join(', ')})`);
        }
        const list = await updateCorrections(ctx.store(), (old) => [...old.filter((c) => !same(c, correction)), correction]);
        process.stdout.write(`${CORRECTIONS_KEY}: ${list.length} correction${list.length === 1 ? '' : 's'}\n`);
      }),
    );

  corrections
    .command('list')
    .description('print the corrections')
    .option('--json', 'one JSON object per line')
    .action((options: { json?: boolean }) =>
      run('corrections.list', 'data', async (ctx) => {
        const { list } = await readCorrections(ctx.store());
        if (options.json === true) {
          for (const c of list) process.stdout.write(`${JSON.stringify(c)}\n`);
          return;
        }
        process.stdout.write(list.length === 0 ? `no corrections in ${CORRECTIONS_KEY}\n` : `${formatTable(['by', 'value', 'class', 'reason'], list.map((c) => [c.by, c.value, c.class, c.reason]))}\n`);
      }),
    );

  corrections
    .command('rm')
    .description('remove the correction of a range, organisation or company')
    .requiredOption('--by <kind>', `what the correction names: ${CORRECTION_KINDS.join(', ')}`, parseKind)
    .requiredOption('--value <value>', 'as it was added')
    .action((options: { by: CorrectionKind; value: string }) =>
      run('corrections.rm', 'data', async (ctx) => {
        let found = false;
        const list = await updateCorrections(ctx.store(), (old) => {
          const kept = old.filter((c) => !same(c, { by: options.by, value: options.value.trim() }));
          found = kept.length < old.length;
          return kept;
        });
        if (!found) throw new IpregError('USAGE', `no correction by ${options.by} of "${options.value}" (ipreg corrections list shows them)`);
        process.stdout.write(`${CORRECTIONS_KEY}: ${list.length} correction${list.length === 1 ? '' : 's'}\n`);
      }),
    );
}
