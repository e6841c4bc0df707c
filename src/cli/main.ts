/**
 * The `vitrine` command line: parses the arguments, runs one command and sets the process exit code
 * (0 success, 1 the command found errors, 2 wrong usage). Side effect on import: runs with process.argv,
 * writing to standard output and error. Commands: `validate`, `publish`, `rollback`, `releases`, `import`.
 */
import { parseArgs } from 'node:util';
import { publishCommand, type ServerOptions } from './publish-command';
import { releasesCommand, rollbackCommand } from './release-commands';
import { validateCommand, type CommandIO } from './validate-command';
import { importCommand, ImportUsageError } from './import-command';

const USAGE = `Usage: vitrine <command> [options]

Commands:
  validate <folder>   check a brand folder: JSON files, models, budgets, scale (exit code 1 on errors)
  publish <folder>    validate, optimise the models, render missing posters, upload what the server lacks
                      and publish a new release (needs --server and --token)
  rollback            make the brand's previous release live again (needs --brand, --server, --token)
  releases            list the brand's releases, newest first (needs --brand, --server, --token)
  import <shopify|merchant> <file>
                      merge a Shopify product CSV or a Google Merchant Center feed (XML or TSV) into the
                      folder's products.json, then validate it (needs --into <folder>; --currency <ISO>,
                      --category-map "<feed value>=<category id>" (repeatable), --dry-run)

Options:
  --server <url>      the Vitrine server (default: $VITRINE_SERVER)
  --token <token>     the brand's API token from \`npm run brand-token\` (default: $VITRINE_TOKEN)
  --insecure          allow a plain http:// server on another machine (the token then travels in clear)
  --brand <id>        the brand (rollback, releases)
  --into <folder>     the brand folder to import into (import)
  --json              machine-readable output (validate, releases)
  -h, --help          show this help
`;

/** One sub-command: its own options, and what it runs. */
interface Command {
  options: NonNullable<Parameters<typeof parseArgs>[0]>['options'];
  run(positionals: string[], values: Record<string, unknown>, io: CommandIO): Promise<number>;
}

const serverOptions = {
  server: { type: 'string' },
  token: { type: 'string' },
  insecure: { type: 'boolean' },
} as const;

/** Whether `hostname` (as `URL` gives it) is this machine: localhost, 127.0.0.0/8 or ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
  );
}

/**
 * --server and --token, else $VITRINE_SERVER and $VITRINE_TOKEN; a usage error when either is missing, or when
 * the server is plain http:// on another machine without --insecure (the brand token would travel in clear).
 */
function serverOf(values: Record<string, unknown>): ServerOptions {
  const server = typeof values.server === 'string' ? values.server : process.env.VITRINE_SERVER;
  const token = typeof values.token === 'string' ? values.token : process.env.VITRINE_TOKEN;
  if (!server) throw new UsageError('give the server with --server <url> (or VITRINE_SERVER)');
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new UsageError(`--server must be an http(s) URL, not "${server}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`--server must be an http(s) URL, not "${server}"`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && values.insecure !== true) {
    throw new UsageError(
      `--server ${server} is plain http: the brand token would cross the network unencrypted. Use https://, ` +
        'or add --insecure if this network is trusted.',
    );
  }
  if (!token) throw new UsageError('give the brand token with --token <token> (or VITRINE_TOKEN)');
  return { server, token };
}

/** --brand, or a usage error. */
function brandOf(values: Record<string, unknown>, positionals: string[], command: string): string {
  if (positionals.length > 0) throw new UsageError(`${command} takes no arguments, only options`);
  if (typeof values.brand !== 'string' || values.brand === '')
    throw new UsageError(`${command} needs --brand <brand id>`);
  return values.brand;
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
  publish: {
    options: serverOptions,
    async run(positionals, values, io) {
      const [folder, ...rest] = positionals;
      if (folder === undefined || rest.length > 0) throw new UsageError('publish takes one folder');
      const progress = io.progress ?? { write: () => undefined, tty: false };
      return publishCommand(folder, serverOf(values), { ...io, progress });
    },
  },
  rollback: {
    options: { ...serverOptions, brand: { type: 'string' } },
    async run(positionals, values, io) {
      return rollbackCommand(brandOf(values, positionals, 'rollback'), serverOf(values), io);
    },
  },
  releases: {
    options: { ...serverOptions, brand: { type: 'string' }, json: { type: 'boolean' } },
    async run(positionals, values, io) {
      const brand = brandOf(values, positionals, 'releases');
      return releasesCommand(brand, serverOf(values), values.json === true, io);
    },
  },
  import: {
    options: {
      into: { type: 'string' },
      currency: { type: 'string' },
      'category-map': { type: 'string', multiple: true },
      'dry-run': { type: 'boolean' },
    },
    async run(positionals, values, io) {
      const [format, file, ...rest] = positionals;
      if (format === undefined || file === undefined || rest.length > 0) {
        throw new UsageError('import takes a format (shopify or merchant) and a file');
      }
      if (typeof values.into !== 'string') throw new UsageError('import needs --into <brand folder>');
      const categoryMap = values['category-map'];
      const options = {
        into: values.into,
        categoryMap: Array.isArray(categoryMap) ? categoryMap.map(String) : [],
        dryRun: values['dry-run'] === true,
        ...(typeof values.currency === 'string' ? { currency: values.currency } : {}),
      };
      return importCommand(format, file, options, io).catch((error: unknown) => {
        throw error instanceof ImportUsageError ? new UsageError(error.message) : error;
      });
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
  progress: { write: (text) => process.stderr.write(text), tty: process.stderr.isTTY === true },
  // `npm run vitrine` runs in the package folder; npm keeps the folder it was called from in INIT_CWD.
  cwd: process.env.INIT_CWD ?? process.cwd(),
});
