/**
 * The `vitrine` command line: parses the arguments, runs one command and sets the process exit code
 * (0 success, 1 the command found errors, 2 wrong usage). Side effect on import: runs with process.argv,
 * writing to standard output and error. Commands: `validate` now; `publish` and `rollback` join the table.
 */
import { parseArgs } from 'node:util';
import { validateCommand, type CommandIO } from './validate-command';

const USAGE = `Usage: vitrine <command> [options]

Commands:
  validate <folder>   check a brand folder: JSON files, models, budgets, scale (exit code 1 on errors)

Options:
  --json              machine-readable output (validate)
  -h, --help          show this help
`;

/** One sub-command: its own options, and what it runs. */
interface Command {
  options: NonNullable<Parameters<typeof parseArgs>[0]>['options'];
  run(positionals: string[], values: Record<string, unknown>, io: CommandIO): Promise<number>;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  validate: {
    options: { json: { type: 'boolean' } },
    async run(positionals, values, io) {
      const [folder, ...rest] = positionals;
      if (folder === undefined || rest.length > 0) throw new UsageError('validate takes one folder');
      return validateCommand(folder, values.json === true, io);
    },
  },
};

class UsageError extends Error {}

/** Runs the command line `args` (without node and the script); answers the exit code. */
export async function main(args: readonly string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.out(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command "${name}"`);
    const { positionals, values } = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    return await command.run(positionals, values, io);
  } catch (error) {
    const usage =
      error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (!usage) throw error;
    process.stderr.write(`vitrine: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
}

const color = process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
process.exitCode = await main(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  color,
  // `npm run vitrine` runs in the package folder; npm keeps the folder it was called from in INIT_CWD.
  cwd: process.env.INIT_CWD ?? process.cwd(),
});
