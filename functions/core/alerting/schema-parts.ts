import * as v from 'valibot';
import { DURATION_MESSAGE, parseDuration } from './duration.js';
import { templateProblem } from './template.js';

/** The small valibot schemas rules are built of: ids, durations, labels, templates, with messages for people. */
export const objectMessage = (i: v.StrictObjectIssue | v.ObjectIssue): string =>
  i.expected === 'never' ? 'unknown field' : i.input === undefined ? 'required' : 'must be an object';

export const RULE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const RuleIdSchema = v.pipe(
  v.string('must be a string'),
  v.regex(RULE_ID_PATTERN, 'must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit'),
);

export const text = (max: number) =>
  v.pipe(
    v.string('must be a string'),
    v.minLength(1, 'must not be empty'),
    v.maxLength(max, `must be at most ${max} characters`),
  );

export const duration = (options: { positive: boolean }) =>
  v.pipe(
    v.string(DURATION_MESSAGE),
    v.check((s) => parseDuration(s) !== undefined, DURATION_MESSAGE),
    v.check((s) => !options.positive || parseDuration(s) !== 0, 'must be longer than 0'),
  );
export const Window = duration({ positive: true });
export const Span = duration({ positive: false });

export const finite = v.pipe(v.number('must be a number'), v.finite('must be a finite number'));
export const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;
export const labelName = v.pipe(
  v.string('must be a string'),
  v.regex(LABEL_NAME, 'must be a label name (letters, digits, "_", ".")'),
);
export const labelMap = v.pipe(
  v.record(labelName, v.pipe(v.string('must be a string'), v.maxLength(1_024, 'must be at most 1024 characters'))),
  v.check((m) => Object.keys(m).length <= 30, 'must have at most 30 entries'),
);
export const groupList = v.pipe(
  v.array(labelName, 'must be a list of label names'),
  v.maxLength(10, 'must list at most 10 labels'),
  v.check((a) => new Set(a).size === a.length, 'must not list a label twice'),
);
export const template = v.pipe(
  v.string('must be a string'),
  v.maxLength(4_096, 'must be at most 4096 characters'),
  v.check(
    (t) => templateProblem(t) === undefined,
    (i) => templateProblem(String(i.input)) ?? 'does not parse',
  ),
);
