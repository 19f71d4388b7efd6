import * as v from 'valibot';
import { ValidationError, type Violation } from './errors.js';

/** `metrics[3].value`-style path of a valibot issue. */
export function issuePath(issue: v.BaseIssue<unknown>): string {
  let out = '';
  for (const item of issue.path ?? []) {
    const key = (item as { key: unknown }).key;
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'must be text',
  number: 'must be a number',
  boolean: 'must be true or false',
  Array: 'must be a list',
  Object: 'must be an object',
  bigint: 'must be a number',
};

const sizeUnit = (input: unknown) => (typeof input === 'string' ? 'characters' : 'items');
const unquote = (expected: string | null) =>
  (expected ?? '')
    .replace(/^\((.*)\)$/, '$1')
    .split(' | ')
    .map((s) => s.trim())
    .join(', ');

/**
 * A violation's message for a person. Messages the schemas give themselves are kept; valibot's defaults
 * (`Invalid key: Expected "service" but received undefined`) become `required`, `must be text`, … and
 * never echo the value that was sent.
 */
export function humanMessage(issue: v.BaseIssue<unknown>): string {
  if (!issue.message.startsWith('Invalid ')) return issue.message;
  const { type, expected, received, input } = issue;
  const bound = (expected ?? '').replace(/^[<>]=?/, '');
  switch (type) {
    case 'object':
    case 'loose_object':
    case 'object_with_rest':
      if (received === 'undefined' && expected?.startsWith('"')) return 'required';
      return TYPE_WORDS.Object!;
    case 'strict_object':
      if (expected === 'never') return 'is not a known field';
      if (received === 'undefined' && expected?.startsWith('"')) return 'required';
      return TYPE_WORDS.Object!;
    case 'picklist':
    case 'enum':
    case 'union':
    case 'variant':
    case 'literal':
      return received === 'undefined' ? 'required' : `must be one of: ${unquote(expected)}`;
    case 'min_length':
      return `must have at least ${bound} ${sizeUnit(input)}`;
    case 'max_length':
      return `must have at most ${bound} ${sizeUnit(input)}`;
    case 'length':
      return `must have exactly ${bound} ${sizeUnit(input)}`;
    case 'min_value':
      return `must be at least ${bound}`;
    case 'max_value':
      return `must be at most ${bound}`;
    case 'integer':
      return 'must be a whole number';
    case 'finite':
      return 'must be a finite number';
    case 'regex':
      return 'has the wrong format';
    case 'email':
      return 'must be an e-mail address';
    case 'url':
      return 'must be a URL';
    case 'non_empty':
      return 'must not be empty';
    default:
      if (received === 'undefined') return 'required';
      if (expected && TYPE_WORDS[expected]) return TYPE_WORDS[expected]!;
      return `is not valid (expected ${unquote(expected) || type})`;
  }
}

export function violations(issues: readonly v.BaseIssue<unknown>[], prefix = ''): Violation[] {
  return issues.map((issue) => {
    const path = issuePath(issue);
    return {
      path: prefix && path ? `${prefix}${path.startsWith('[') ? '' : '.'}${path}` : prefix || path,
      message: humanMessage(issue),
    };
  });
}

/** Validates input against a schema or throws a ValidationError listing every violation with its path. */
export function parse<S extends v.GenericSchema>(schema: S, input: unknown, prefix = ''): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (!result.success) throw new ValidationError(violations(result.issues, prefix));
  return result.output;
}
