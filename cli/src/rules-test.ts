import { dirname, isAbsolute, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { runRuleTests } from '../../functions/core/alerting/rule-tests/run.js';

/**
 * `vigil rules test FILE…`: rule tests in the spirit of `promtool test rules`, run by the evaluator of the
 * Lambda with a pinned clock and no AWS. Test files are YAML or JSON; `rule_files` are read relative to
 * the test file. Exit status: 0 every test passed, 1 a test failed (a diff is printed), 2 a usage error or
 * a file that cannot be read or is not a valid test (the field is named).
 */
export interface RulesTestIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readFile: (path: string) => Promise<string>;
}

const HELP = `Usage: vigil rules test FILE…

Runs alert rule tests (YAML or JSON): input series in promtool's notation ("0+10x5", "_"), evaluation
times, and the alerts expected at each (state, labels, rendered annotations). docs/ALERTING.md#rule-tests.
Exit status: 0 all pass, 1 a test failed (a diff is printed), 2 a usage error or an unreadable or invalid file.
`;

class FileProblem extends Error {}

async function load(path: string, io: RulesTestIo): Promise<unknown> {
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (error) {
    throw new FileProblem(
      `${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  try {
    return parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new FileProblem(`${path}: is not valid YAML or JSON (${(error as Error).message.split('\n')[0]})`);
  }
}

async function testFile(path: string, io: RulesTestIo): Promise<0 | 1 | 2> {
  io.stdout(`Unit Testing: ${path}\n`);
  try {
    const test = await load(path, io);
    const ruleFiles: Record<string, unknown> = {};
    const listed =
      test && typeof test === 'object' && Array.isArray((test as { rule_files?: unknown }).rule_files)
        ? (test as { rule_files: unknown[] }).rule_files
        : [];
    for (const file of listed) {
      if (typeof file !== 'string') continue;
      ruleFiles[file] = await load(isAbsolute(file) ? file : join(dirname(path), file), io);
    }
    const outcome = await runRuleTests({ test, ruleFiles });
    if (outcome.kind === 'invalid') {
      io.stderr(
        `  INVALID ${path}:\n${outcome.issues.map((i) => `    ${i.path || '(file)'}: ${i.message}\n`).join('')}`,
      );
      return 2;
    }
    if (outcome.failures.length === 0) {
      io.stdout(`  SUCCESS (${outcome.passed} ${outcome.passed === 1 ? 'test' : 'tests'})\n`);
      return 0;
    }
    io.stdout('  FAILED:\n');
    for (const f of outcome.failures) {
      io.stdout(
        `    test ${JSON.stringify(f.test)}, alertname ${f.ruleId}, time ${f.evalTime}: expected (-) and got (+)\n`,
      );
      for (const d of f.diff) io.stdout(`      ${d}\n`);
    }
    return 1;
  } catch (error) {
    if (error instanceof FileProblem) {
      io.stderr(`  ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

export async function runRulesTest(args: string[], io: RulesTestIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(HELP);
    return 0;
  }
  const unknown = args.find((a) => a.startsWith('-'));
  if (unknown) {
    io.stderr(`vigil rules test: unknown flag ${unknown}\n\n${HELP}`);
    return 2;
  }
  if (args.length === 0) {
    io.stderr(`vigil rules test: name at least one test file\n\n${HELP}`);
    return 2;
  }
  let worst = 0;
  for (const path of args) worst = Math.max(worst, await testFile(path, io));
  return worst;
}
