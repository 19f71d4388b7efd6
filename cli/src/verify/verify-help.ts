export const VERIFY_HELP = `Usage: vigil verify --service NAME --environment ENV --version VERSION [checks…] [--wait]

Starts a deployment verification (POST /v1/verifications) and, with --wait, prints each check's progress,
then the verdict and its reasons. Token from VIGIL_TOKEN (scope verify), endpoint from VIGIL_ENDPOINT.

Exit status: 0 pass (and marginal, unless --strict) or started without --wait; 1 fail or inconclusive
(and marginal with --strict); 2 usage, connection or API error (4xx/5xx), or no verdict before --timeout.

What is verified
  --service NAME              the service (required, or "service" in --config)
  --environment ENV           e.g. staging (required)
  --version VERSION           the version just deployed (required)
  --deploy-url URL            where the new version answers (for the health check)
  -c, --config FILE           the request body as JSON (docs/CLI.md); flags given override its fields

Checks (any subset; a flag of a check asks for that check)
  --health                    health check with the API's defaults
  --health-path PATH          health endpoint path, e.g. /health
  --consecutive-passes N      passes in a row needed
  --health-timeout SECONDS    budget for those passes
  --health-interval SECONDS   time between health requests
  --metrics A,B               metrics that must arrive from this version
  --metrics-within SECONDS    window for them
  --performance               performance check with the API's defaults
  --performance-metric NAME   latency metric (e.g. http.server.duration)
  --max-p95-ms MS             absolute p95 limit
  --max-p99-ms MS             absolute p99 limit
  --max-regression-pct PCT    allowed p95 rise against the window before the deploy
  --max-error-rate RATE       allowed error rate, a fraction (0.01 = 1%)
  --performance-window SECONDS
  --canary-baseline VERSION   compare against this version over the same time
  --canary-metrics LIST       NAME[:OPTION…],… with options count, increase|decrease|either, critical,
                              +N% (allowed increase in percent), +N (allowed increase in the metric's units)
                              e.g. "http.server.duration:increase:+10%,errors:count:critical"
  --canary-interval SECONDS   judged every SECONDS
  --canary-duration SECONDS   planned duration
  --canary-max-duration SECONDS  longest extension when data is short
  --pass-score N              canary score to pass (0-100)
  --marginal-score N          canary score for marginal (0-100)
  --slo NAME                  error budget check against this SLO (a burn_rate rule)
  --new-errors                list errors never seen before this version
  --new-errors-critical       …and fail the verdict when there is any

Rollback
  --rollback-command "CMD"    run through the shell when the verdict asks for a rollback; it gets
                              VIGIL_VERIFICATION_ID, VIGIL_VERDICT, VIGIL_SERVICE, VIGIL_ENVIRONMENT, VIGIL_VERSION
  --rollback-webhook URL      Vigil posts the verdict there (HMAC-signed) on a rollback verdict
  --rollback-on LIST          verdicts that ask for a rollback, e.g. fail,inconclusive

Waiting and output
  --wait                      wait for the verdict (without it: print the id and exit 0)
  --strict                    a marginal verdict exits 1
  --timeout SECONDS           give up waiting after this long (default ${3900})
  --poll-interval SECONDS     first wait between status requests (default 2; grows 1.5x per quiet poll)
  --max-poll-interval SECONDS longest wait between status requests (default 30)
  --format text|markdown|json how the verdict is printed on stdout (default text; progress goes to stderr
                              for markdown and json)
  --summary FILE              also append the verdict as Markdown to FILE (e.g. "$GITHUB_STEP_SUMMARY")
  --endpoint URL              instead of VIGIL_ENDPOINT
  -h, --help                  this text
`;
