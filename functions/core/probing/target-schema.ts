import * as v from 'valibot';
import { fetchedUrlSchema } from '../fetched-url-schema.js';
import { FORBIDDEN_HEADER_MESSAGE, isForbiddenRequestHeader } from '../request-headers.js';
import { jsonPathProblem } from './json-path.js';
import { SecretRefSchema } from './secret-ref.js';

/**
 * The one schema for a probe target, shared by `PUT /v1/targets/{id}` and the `targets` of a config file
 * (`vigil.config.json`). Defaults are applied here, so a stored target is always complete.
 */
export const TARGET_DEFAULTS = {
  method: 'GET',
  intervalSeconds: 60,
  timeoutMs: 5_000,
  failureThreshold: 3,
  successThreshold: 2,
  certificateExpiryDays: 14,
  expectStatus: ['2xx'],
} as const;

export const PROBE_METHODS = ['GET', 'HEAD', 'POST', 'OPTIONS'] as const;
export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;
export type StatusMatcher = number | (typeof STATUS_CLASSES)[number];

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Header values travel as-is: control characters would make node:http throw at probe time.
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

export const TargetIdSchema = v.pipe(
  v.string('must be a string'),
  v.regex(ID_PATTERN, 'must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit'),
);

/** Unknown keys are rejected (a typo such as `intervalSecond` must not pass silently); the path names the key. */
const objectMessage = (i: v.StrictObjectIssue): string =>
  i.expected === 'never' ? 'unknown field' : 'must be an object';

const int = (min: number, max: number) =>
  v.pipe(
    v.number('must be a number'),
    v.integer('must be a whole number'),
    v.minValue(min, `must be at least ${min}`),
    v.maxValue(max, `must be at most ${max}`),
  );

const UrlSchema = fetchedUrlSchema('; use headers');

const ExpectSchema = v.strictObject(
  {
    status: v.optional(
      v.pipe(
        v.array(
          v.union([int(100, 599), v.picklist(STATUS_CLASSES)], 'must be a status code (100-599) or a class like "2xx"'),
        ),
        v.minLength(1, 'must list at least one status'),
        v.maxLength(50, 'must list at most 50 statuses'),
      ),
      () => [...TARGET_DEFAULTS.expectStatus],
    ),
    bodyContains: v.optional(
      v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty'), v.maxLength(1_024)),
    ),
    json: v.optional(
      v.strictObject(
        {
          path: v.pipe(
            v.string('must be a string'),
            v.check(
              (p) => jsonPathProblem(p) === undefined,
              (i) => jsonPathProblem(i.input as string) ?? 'invalid',
            ),
          ),
          equals: v.union([v.string(), v.number(), v.boolean(), v.null()], 'must be a string, number, boolean or null'),
        },
        objectMessage,
      ),
    ),
    maxLatencyMs: v.optional(int(1, 300_000)),
  },
  objectMessage,
);

/** A target as written by a user (without its id, which is the path or the config entry's `id`). */
export const TargetSpecEntries = {
  service: v.pipe(v.string('must be a string'), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(128)),
  url: UrlSchema,
  method: v.optional(v.picklist(PROBE_METHODS, `must be one of: ${PROBE_METHODS.join(', ')}`), TARGET_DEFAULTS.method),
  intervalSeconds: v.optional(int(1, 86_400), TARGET_DEFAULTS.intervalSeconds),
  timeoutMs: v.optional(int(100, 30_000), TARGET_DEFAULTS.timeoutMs),
  headers: v.optional(
    v.pipe(
      v.record(
        v.pipe(
          v.string(),
          v.regex(HEADER_NAME, 'must be a valid header name'),
          v.check((name) => !isForbiddenRequestHeader(name), FORBIDDEN_HEADER_MESSAGE),
        ),
        v.union(
          [
            v.pipe(
              v.string('must be a string'),
              v.maxLength(4_096),
              v.regex(HEADER_VALUE, 'must not contain control characters'),
            ),
            SecretRefSchema,
          ],
          'must be a string or {"secretRef": "…"}',
        ),
      ),
      v.check((h) => Object.keys(h).length <= 30, 'must have at most 30 headers'),
    ),
    {},
  ),
  expect: v.optional(ExpectSchema, {}),
  failureThreshold: v.optional(int(1, 100), TARGET_DEFAULTS.failureThreshold),
  successThreshold: v.optional(int(1, 100), TARGET_DEFAULTS.successThreshold),
  /** 0 turns the check off. */
  certificateExpiryDays: v.optional(int(0, 365), TARGET_DEFAULTS.certificateExpiryDays),
  /** Accept any TLS certificate (self-signed internal endpoints); expiry is still checked. */
  insecure: v.optional(v.boolean('must be true or false'), false),
  dependsOn: v.optional(
    v.pipe(
      v.array(TargetIdSchema),
      v.maxLength(20, 'must list at most 20 targets'),
      v.check((a) => new Set(a).size === a.length, 'must not list a target twice'),
    ),
    [],
  ),
} as const;

export const TargetSpecSchema = v.pipe(
  v.strictObject(TargetSpecEntries, objectMessage),
  v.check(
    (t) => t.expect.maxLatencyMs === undefined || t.expect.maxLatencyMs <= t.timeoutMs,
    'expect.maxLatencyMs must not exceed timeoutMs',
  ),
);

export type TargetSpec = v.InferOutput<typeof TargetSpecSchema>;

/** A config file entry: the same fields plus the id. */
export const TargetEntrySchema = v.pipe(
  v.strictObject({ id: TargetIdSchema, ...TargetSpecEntries }, objectMessage),
  v.check(
    (t) => t.expect.maxLatencyMs === undefined || t.expect.maxLatencyMs <= t.timeoutMs,
    'expect.maxLatencyMs must not exceed timeoutMs',
  ),
);

export type TargetEntry = v.InferOutput<typeof TargetEntrySchema>;

/**
 * `vigil.config.json`. Other top-level sections (`rules`, `$schema`, …) belong to other features and are
 * left alone here.
 */
export const ConfigFileSchema = v.looseObject({
  targets: v.optional(
    v.pipe(
      v.array(TargetEntrySchema),
      v.maxLength(10_000),
      v.check((ts) => new Set(ts.map((t) => t.id)).size === ts.length, 'must not list an id twice'),
    ),
    [],
  ),
});

export type ManagedBy = 'api' | 'config';

export interface TargetRecord extends TargetSpec {
  readonly id: string;
  readonly managedBy: ManagedBy;
  readonly createdAt: number;
  readonly updatedAt: number;
}
