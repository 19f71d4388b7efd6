import * as v from 'valibot';
import type { Labels } from './model.js';

/**
 * Label matchers as Alertmanager's: `=`, `!=`, `=~`, `!~`; regular expressions are anchored (`=~ "api|web"`
 * matches `api` and `web`, not `webapp`). Invalid expressions are refused when the rule or silence is saved.
 */
export const MATCHER_OPS = ['=', '!=', '=~', '!~'] as const;
export type MatcherOp = (typeof MATCHER_OPS)[number];

export interface Matcher {
  readonly label: string;
  readonly op: MatcherOp;
  readonly value: string;
}

export function regexProblem(pattern: string): string | undefined {
  try {
    new RegExp(`^(?:${pattern})$`, 'u');
    return undefined;
  } catch (error) {
    return `is not a valid regular expression (${(error as Error).message.replace(/^Invalid regular expression: /, '')})`;
  }
}

const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

export const MatcherSchema = v.pipe(
  v.strictObject(
    {
      label: v.pipe(
        v.string('must be a string'),
        v.regex(LABEL_NAME, 'must be a label name (letters, digits, "_", ".")'),
      ),
      op: v.picklist(MATCHER_OPS, `must be one of: ${MATCHER_OPS.join(' ')}`),
      value: v.pipe(v.string('must be a string'), v.maxLength(1_024, 'must be at most 1024 characters')),
    },
    (i) => (i.expected === 'never' ? 'unknown field' : 'must be an object'),
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const { op, value } = dataset.value;
    if (op !== '=~' && op !== '!~') return;
    const problem = regexProblem(value);
    if (problem)
      addIssue({
        message: problem,
        path: [{ type: 'object', origin: 'value', input: dataset.value, key: 'value', value }],
      });
  }),
);

const cache = new Map<string, RegExp>();
function anchored(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`, 'u');
    if (cache.size > 1_000) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

export function matches(matcher: Matcher, labels: Labels): boolean {
  const actual = labels[matcher.label] ?? '';
  switch (matcher.op) {
    case '=':
      return actual === matcher.value;
    case '!=':
      return actual !== matcher.value;
    case '=~':
      return anchored(matcher.value).test(actual);
    case '!~':
      return !anchored(matcher.value).test(actual);
  }
}

export const matchesAll = (matchers: readonly Matcher[], labels: Labels): boolean =>
  matchers.every((m) => matches(m, labels));
