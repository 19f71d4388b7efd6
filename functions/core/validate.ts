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

export function violations(issues: readonly v.BaseIssue<unknown>[], prefix = ''): Violation[] {
  return issues.map((issue) => {
    const path = issuePath(issue);
    return {
      path: prefix && path ? `${prefix}${path.startsWith('[') ? '' : '.'}${path}` : prefix || path,
      message: issue.message,
    };
  });
}

/** Validates input against a schema or throws a ValidationError listing every violation with its path. */
export function parse<S extends v.GenericSchema>(schema: S, input: unknown, prefix = ''): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (!result.success) throw new ValidationError(violations(result.issues, prefix));
  return result.output;
}
