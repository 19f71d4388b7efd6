import { parseArgs } from 'node:util';
import pkg from '../package.json' with { type: 'json' };
import { type CliIo, systemIo } from './io.js';
import { runVerify } from './verify/run.js';

export const CLI_VERSION: string = pkg.version;

export const MAIN_HELP = `Usage: vigil <command> [flags]

Commands
  verify        verify a deployment: start a verification, wait for the verdict, roll back on a bad one
  rules test    run alert rule tests (input series, evaluation times, expected alerts) without AWS

Run "vigil <command> --help" for a command's flags. docs/CLI.md describes every flag and exit code.

Flags
  -h, --help     this text
  -v, --version  the CLI's version

Environment
  VIGIL_ENDPOINT  the Vigil API, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com
  VIGIL_TOKEN     a Vigil API token (vigil verify needs the verify scope)
`;

const RULES_HELP = `Usage: vigil rules test FILE…

Runs alert rule tests in the spirit of promtool test rules: input series, evaluation times and the alerts
expected at each, through the same evaluator as the Lambda with a pinned clock and no AWS.
Run "vigil rules test --help" for the file format. Exit status: 0 all pass, 1 a test failed (a diff is
printed), 2 a usage error or a file that cannot be read.
`;

/** `vigil …`: dispatches to a command; resolves to the process's exit status. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'verify') return runVerify(rest, io);
  if (command === 'rules') return rules(rest, io);
  if (command === undefined || command.startsWith('-')) {
    let values: { help?: boolean; version?: boolean };
    try {
      values = parseArgs({
        args: [...argv],
        options: { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' } },
        strict: true,
      }).values;
    } catch (error) {
      io.stderr(`vigil: ${(error as Error).message}\n\n${MAIN_HELP}`);
      return 2;
    }
    if (values.version) {
      io.stdout(`${CLI_VERSION}\n`);
      return 0;
    }
    if (values.help) {
      io.stdout(MAIN_HELP);
      return 0;
    }
    io.stderr(MAIN_HELP);
    return 2;
  }
  if (command === 'help') {
    const [topic] = rest;
    if (topic === 'verify') return runVerify(['--help'], io);
    if (topic === 'rules') return rules(['--help'], io);
    io.stdout(MAIN_HELP);
    return 0;
  }
  io.stderr(`vigil: unknown command "${command}"\n\n${MAIN_HELP}`);
  return 2;
}

async function rules(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    io.stdout(RULES_HELP);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'test') {
    io.stderr(`vigil rules: unknown subcommand "${sub}"\n\n${RULES_HELP}`);
    return 2;
  }
  // Loaded on demand, so that \`vigil verify\` never loads the evaluator and the YAML parser.
  const { runRulesTest } = await import('./rules-test.js');
  return runRulesTest([...rest], { stdout: io.stdout, stderr: io.stderr, readFile: io.readFile });
}

/** The bin's entry (bin/vigil.js). */
export async function runCli(argv: readonly string[]): Promise<number> {
  try {
    return await main(argv, systemIo());
  } catch (error) {
    process.stderr.write(`vigil: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return 2;
  }
}
