import * as v from 'valibot';
import { parseStat } from '../telemetry/metric-query.js';
import { MatcherSchema } from './matchers.js';
import { groupList, labelMap, objectMessage, text } from './schema-parts.js';

/** A rule's metric as written: Vigil's rollups (`source` absent or `vigil`) or CloudWatch (`source: cloudwatch`). */
const VigilMetricSchema = v.strictObject(
  {
    source: v.optional(v.literal('vigil', 'must be "vigil" or "cloudwatch"')),
    service: v.optional(text(128)),
    name: text(256),
    stat: v.optional(
      v.pipe(
        v.string('must be a string'),
        v.check(
          (s) => parseStat(s) !== undefined,
          'must be count, sum, avg, min, max, rate or a percentile such as p95',
        ),
      ),
    ),
    tags: v.optional(labelMap),
    match: v.optional(
      v.pipe(v.array(MatcherSchema, 'must be a list of matchers'), v.maxLength(20, 'must list at most 20 matchers')),
    ),
    groupBy: v.optional(groupList),
  },
  objectMessage,
);

const CLOUDWATCH_STAT =
  /^(SampleCount|Average|Sum|Minimum|Maximum|IQM|p(\d{1,2}(\.\d+)?|100)|(tm|wm|tc|ts)\d{1,2}(\.\d+)?)$/;
const CloudWatchMetricSchema = v.strictObject(
  {
    source: v.literal('cloudwatch'),
    namespace: v.pipe(text(255), v.regex(/^[^:][^:]*$/, 'must not contain ":"')),
    metricName: text(255),
    dimensions: v.optional(
      v.pipe(
        v.record(text(255), text(1_024)),
        v.check((d) => Object.keys(d).length <= 30, 'must have at most 30 dimensions'),
      ),
    ),
    stat: v.optional(
      v.pipe(
        v.string('must be a string'),
        v.regex(CLOUDWATCH_STAT, 'must be a CloudWatch statistic: SampleCount, Average, Sum, Minimum, Maximum or pNN'),
      ),
    ),
  },
  objectMessage,
);

const metricSchema = v.variant('source', [CloudWatchMetricSchema, VigilMetricSchema], 'must be an object');
// valibot's variant wants the key present; an absent `source` means Vigil.
export const MetricSchema = v.pipe(
  v.unknown(),
  v.transform((m) => (m && typeof m === 'object' && !('source' in m) ? { ...m, source: 'vigil' } : m)),
  metricSchema,
);
export const AbsenceMetricSchema = v.pipe(
  v.unknown(),
  v.transform((m) => (m && typeof m === 'object' && !('source' in m) ? { ...m, source: 'vigil' } : m)),
  v.variant(
    'source',
    [
      CloudWatchMetricSchema,
      v.strictObject({ ...VigilMetricSchema.entries, name: v.optional(text(256)) }, objectMessage),
    ],
    'must be an object',
  ),
);
