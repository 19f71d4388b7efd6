import type { Labels, Matcher } from '../model.js';

/**
 * Alertmanager's matcher semantics: a missing label is the empty string; `=~` and `!~` are anchored at
 * both ends (`checkout|cart` matches `cart`, not `cart-api`). An invalid expression never matches (they
 * are refused when a silence or inhibit rule is saved, see `silence-schema.ts`).
 */
const compiled = new Map<string, RegExp | null>();

function regex(source: string): RegExp | null {
  let re = compiled.get(source);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${source})$`, 'u');
    } catch {
      re = null;
    }
    if (compiled.size > 1_000) compiled.clear();
    compiled.set(source, re);
  }
  return re;
}

export function matches(m: Matcher, labels: Labels): boolean {
  const actual = labels[m.label] ?? '';
  switch (m.op) {
    case '=':
      return actual === m.value;
    case '!=':
      return actual !== m.value;
    case '=~':
      return regex(m.value)?.test(actual) ?? false;
    case '!~':
      return !(regex(m.value)?.test(actual) ?? true);
  }
}

export const matchesAll = (matchers: readonly Matcher[], labels: Labels): boolean =>
  matchers.every((m) => matches(m, labels));

/** `service="checkout", env=~"prod|staging"`, for a sentence. */
export const describeMatchers = (matchers: readonly Matcher[]): string =>
  matchers.map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`).join(', ');
