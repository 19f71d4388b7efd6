import { parseArgs } from 'node:util';
import { ApiClient, ApiError } from '../api-client.js';
import type { CliIo } from '../io.js';
import { UsageError } from '../usage-error.js';
import { VERIFY_FLAGS, type VerifyValues } from './flags.js';
import { isDone, type VerificationView, viewOf } from './record.js';
import { noVerdictMarkdown, progressLines, verdictMarkdown, verdictText } from './render.js';
import { buildRequest, type JsonObject, parseConfig, positive } from './request.js';
import { VERIFY_HELP } from './verify-help.js';

/** Exit codes of `vigil verify` (docs/CLI.md). */
export const EXIT = { pass: 0, fail: 1, usage: 2 } as const;

const FORMATS = ['text', 'markdown', 'json'] as const;
type Format = (typeof FORMATS)[number];

/** Defaults, in seconds: a verification runs at most an hour, so the client waits that and a little more. */
export const DEFAULTS = { timeoutSeconds: 3900, pollSeconds: 2, maxPollSeconds: 30, backoff: 1.5, maxPollFailures: 5 };

interface Settings {
  readonly body: JsonObject;
  readonly endpoint: string;
  readonly token: string;
  readonly wait: boolean;
  readonly strict: boolean;
  readonly format: Format;
  readonly summary?: string;
  readonly rollbackCommand?: string;
  readonly timeoutMs: number;
  readonly pollMs: number;
  readonly maxPollMs: number;
}

type DoneView = VerificationView & { verdict: NonNullable<VerificationView['verdict']> };

interface Started {
  readonly id: string;
  readonly status?: string;
  readonly statusUrl?: string;
}

export async function runVerify(args: readonly string[], io: CliIo): Promise<number> {
  let settings: Settings;
  try {
    const values = parseFlags(args);
    if (values.help) {
      io.stdout(VERIFY_HELP);
      return EXIT.pass;
    }
    settings = await settingsOf(values, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`vigil verify: ${error.message}\nRun "vigil verify --help" for the flags.\n`);
      return EXIT.usage;
    }
    throw error;
  }
  try {
    return await verify(settings, io);
  } catch (error) {
    if (error instanceof ApiError) {
      io.stderr(`vigil verify: ${error.message}\n`);
      for (const v of error.violations) io.stderr(`  ${v.path ? `${v.path}: ` : ''}${v.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}

function parseFlags(args: readonly string[]): VerifyValues {
  try {
    return parseArgs({ args: [...args], options: VERIFY_FLAGS, strict: true, allowPositionals: false })
      .values as VerifyValues;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function settingsOf(values: VerifyValues, io: CliIo): Promise<Settings> {
  const endpoint = values.endpoint ?? io.env.VIGIL_ENDPOINT;
  if (!endpoint) throw new UsageError('no endpoint: set VIGIL_ENDPOINT (or pass --endpoint URL)');
  if (!/^https?:\/\/[^/]/.test(endpoint))
    throw new UsageError(`the endpoint must be an http(s) URL, got "${endpoint}"`);
  const token = io.env.VIGIL_TOKEN;
  if (!token) throw new UsageError('no token: set VIGIL_TOKEN to a Vigil token with the verify scope');
  const format = (values.format ?? 'text') as Format;
  if (!FORMATS.includes(format))
    throw new UsageError(`--format: expected one of ${FORMATS.join(', ')}, got "${format}"`);
  let config: JsonObject = {};
  if (values.config !== undefined) {
    let text: string;
    try {
      text = await io.readFile(values.config);
    } catch (error) {
      throw new UsageError(
        `--config ${values.config}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
    }
    config = parseConfig(values.config, text);
  }
  const seconds = (flag: string, text: string | undefined, fallback: number) =>
    (positive(flag, text) ?? fallback) * 1000;
  return {
    body: buildRequest(config, values),
    endpoint,
    token,
    wait: values.wait === true,
    strict: values.strict === true,
    format,
    ...(values.summary !== undefined ? { summary: values.summary } : {}),
    ...(values['rollback-command'] ? { rollbackCommand: values['rollback-command'] } : {}),
    timeoutMs: seconds('--timeout', values.timeout, DEFAULTS.timeoutSeconds),
    pollMs: seconds('--poll-interval', values['poll-interval'], DEFAULTS.pollSeconds),
    maxPollMs: seconds('--max-poll-interval', values['max-poll-interval'], DEFAULTS.maxPollSeconds),
  };
}

async function verify(s: Settings, io: CliIo): Promise<number> {
  const api = new ApiClient({ endpoint: s.endpoint, token: s.token, io });
  // In json/markdown the document goes to stdout alone; progress goes to stderr.
  const log = s.format === 'text' ? io.stdout : io.stderr;
  const startedAt = io.now();
  const { body: started } = await api.request<Started>('POST', '/v1/verifications', s.body);
  if (typeof started.id !== 'string' || started.id === '') {
    throw new ApiError('server', 'POST /v1/verifications answered without a verification id');
  }
  const statusUrl =
    sameOrigin(api, started.statusUrl) ?? api.url(`/v1/verifications/${encodeURIComponent(started.id)}`);
  log(
    `started verification ${started.id} of ${String(s.body.service)} ${String(s.body.version)} in ${String(s.body.environment)}\n`,
  );
  log(`status: ${statusUrl}\n`);
  if (!s.wait) {
    if (s.format === 'json') io.stdout(`${JSON.stringify({ ...started, statusUrl })}\n`);
    return EXIT.pass;
  }

  const deadline = startedAt + s.timeoutMs;
  const seen = new Map<string, string>();
  let interval = s.pollMs;
  let failures = 0;
  let raw: unknown;
  let done: DoneView | undefined;
  while (!done) {
    try {
      raw = (await api.request('GET', statusUrl)).body;
      failures = 0;
    } catch (error) {
      if (!(error instanceof ApiError) || !error.retryable || ++failures > DEFAULTS.maxPollFailures) {
        await appendSummary(s, io, noVerdictMarkdown(started.id, statusUrl, (error as Error).message));
        throw error;
      }
      log(`(${error.message}; asking again)\n`);
    }
    if (failures === 0) {
      const view = viewOf(raw);
      const lines = progressLines(seen, view, io.now() - startedAt);
      for (const line of lines) log(`${line}\n`);
      for (const c of view.checks) seen.set(c.name, c.state);
      if (isDone(view)) {
        done = view;
        break;
      }
      if (lines.length > 0) interval = s.pollMs;
    }
    const left = deadline - io.now();
    if (left <= 0) {
      const why = `no verdict after ${Math.round(s.timeoutMs / 1000)} s (--timeout); the verification may still be running`;
      io.stderr(`vigil verify: ${why}: ${statusUrl}\n`);
      await appendSummary(s, io, noVerdictMarkdown(started.id, statusUrl, why));
      return EXIT.usage;
    }
    await io.sleep(Math.min(interval, left));
    interval = Math.min(interval * DEFAULTS.backoff, s.maxPollMs);
  }
  return finish(s, io, done, raw, statusUrl);
}

async function finish(s: Settings, io: CliIo, view: DoneView, raw: unknown, statusUrl: string): Promise<number> {
  if (s.format === 'text') io.stdout(verdictText(view));
  else if (s.format === 'markdown') io.stdout(verdictMarkdown(view, { statusUrl }));
  else io.stdout(`${JSON.stringify(raw)}\n`);

  let rollbackNote: string | undefined;
  if (view.rollback) {
    if (s.rollbackCommand) {
      const log = s.format === 'text' ? io.stdout : io.stderr;
      log(`running the rollback command: ${s.rollbackCommand}\n`);
      const result = await io.runShell(s.rollbackCommand, {
        VIGIL_VERIFICATION_ID: view.id,
        VIGIL_VERDICT: view.verdict,
        VIGIL_SERVICE: String(s.body.service),
        VIGIL_ENVIRONMENT: String(s.body.environment),
        VIGIL_VERSION: String(s.body.version),
      });
      rollbackNote =
        result.code === null
          ? `the rollback command was ended by ${result.signal}`
          : `the rollback command exited with status ${result.code}`;
      log(`${rollbackNote}\n`);
    } else {
      rollbackNote = 'the verdict asks for a rollback; no --rollback-command was given';
      io.stderr(`vigil verify: ${rollbackNote}\n`);
    }
  }
  await appendSummary(
    s,
    io,
    verdictMarkdown(view, { statusUrl, ...(rollbackNote ? { rollbackCommand: rollbackNote } : {}) }),
  );
  if (view.verdict === 'pass') return EXIT.pass;
  if (view.verdict === 'marginal') return s.strict ? EXIT.fail : EXIT.pass;
  return EXIT.fail;
}

/** Appends to `--summary`, if given; a file that cannot be written is reported and changes nothing else. */
async function appendSummary(s: Settings, io: CliIo, markdown: string): Promise<void> {
  if (!s.summary) return;
  await io.appendFile(s.summary, markdown).catch((error: NodeJS.ErrnoException) => {
    io.stderr(`vigil verify: could not write the summary to ${s.summary} (${error.code ?? error.message})\n`);
  });
}

/** The API's statusUrl, unless it points somewhere else than the endpoint (the token goes only there). */
function sameOrigin(api: ApiClient, statusUrl: string | undefined): string | undefined {
  if (!statusUrl) return undefined;
  try {
    const resolved = api.url(statusUrl);
    return new URL(resolved).origin === new URL(api.url('/')).origin ? resolved : undefined;
  } catch {
    return undefined;
  }
}
