/**
 * A strict parser for the Prometheus text exposition format 0.0.4: every line must be a comment
 * (`# HELP name text`, `# TYPE name type`) or a sample `name{label="value",...} value`.
 * Throws on the first line that does not follow the grammar.
 */
export interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}
export interface Family {
  type?: string;
  help?: string;
  samples: Sample[];
}

const METRIC = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*';
const VALUE = '(?:[+-]?(?:\\d+\\.?\\d*(?:[eE][+-]?\\d+)?|\\.\\d+(?:[eE][+-]?\\d+)?)|[+-]Inf|NaN)';
const HELP_RE = new RegExp(`^# HELP (${METRIC}) (.*)$`);
const TYPE_RE = new RegExp(`^# TYPE (${METRIC}) (counter|gauge|histogram|summary|untyped)$`);
const SAMPLE_RE = new RegExp(`^(${METRIC})(\\{(.*)\\})? (${VALUE})(?: (-?\\d+))?$`);
const LABEL_PAIR = new RegExp(`^(${LABEL})="((?:[^"\\\\\\n]|\\\\[\\\\"n])*)"`);

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const m = LABEL_PAIR.exec(rest);
    if (!m) throw new Error(`bad labels in: ${line}`);
    const [, name, raw] = m as unknown as [string, string, string];
    if (Object.hasOwn(labels, name)) throw new Error(`duplicate label ${name} in: ${line}`);
    labels[name] = raw.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
    rest = rest.slice(m[0].length);
    if (rest.startsWith(',')) rest = rest.slice(1);
    else if (rest.length > 0) throw new Error(`expected , in: ${line}`);
  }
  return labels;
}

function parseValue(text: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  return Number(text);
}

function familyOf(sampleName: string, families: Map<string, Family>): string {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (sampleName.endsWith(suffix)) {
      const base = sampleName.slice(0, -suffix.length);
      if (families.get(base)?.type === 'histogram') return base;
    }
  }
  return sampleName;
}

export function parsePrometheus(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  if (text !== '' && !text.endsWith('\n')) throw new Error('exposition must end with a newline');
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const help = HELP_RE.exec(line);
    const type = help ? null : TYPE_RE.exec(line);
    const sample = help || type || line.startsWith('#') ? null : SAMPLE_RE.exec(line);
    if (help) {
      const f = families.get(help[1]!) ?? { samples: [] };
      f.help = help[2];
      families.set(help[1]!, f);
    } else if (type) {
      const f = families.get(type[1]!) ?? { samples: [] };
      if (f.samples.length) throw new Error(`TYPE after samples: ${line}`);
      f.type = type[2];
      families.set(type[1]!, f);
    } else if (line.startsWith('#')) {
      // other comments are allowed
    } else if (sample) {
      const name = sample[1]!;
      const base = familyOf(name, families);
      const f = families.get(base) ?? { samples: [] };
      f.samples.push({ name, labels: sample[3] ? parseLabels(sample[3], line) : {}, value: parseValue(sample[4]!) });
      families.set(base, f);
    } else {
      throw new Error(`not a valid exposition line: ${JSON.stringify(line)}`);
    }
  }
  // Histogram invariants: buckets cumulative, +Inf bucket equals _count.
  for (const [name, f] of families) {
    if (f.type !== 'histogram') continue;
    const bySeries = new Map<string, Sample[]>();
    for (const s of f.samples.filter((x) => x.name === `${name}_bucket`)) {
      const { le, ...rest } = s.labels;
      if (le === undefined) throw new Error(`${name}_bucket without le`);
      const key = JSON.stringify(rest);
      bySeries.set(key, [...(bySeries.get(key) ?? []), s]);
    }
    for (const [key, buckets] of bySeries) {
      let previous = -1;
      for (const b of buckets) {
        if (b.value < previous) throw new Error(`${name} buckets not cumulative for ${key}`);
        previous = b.value;
      }
      const inf = buckets.find((b) => b.labels.le === '+Inf');
      const count = f.samples.find((x) => x.name === `${name}_count` && JSON.stringify(x.labels) === key);
      if (!inf || !count || inf.value !== count.value) throw new Error(`${name}: +Inf bucket != _count for ${key}`);
    }
  }
  return families;
}
