import { createHash } from 'node:crypto';
import type { Labels } from './model.js';

const stable = (labels: Labels) =>
  JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]]),
  );

/** Deterministic: the rule id and a hash of the full label set, so every evaluator names an alert alike. */
export const alertIdOf = (ruleId: string, labels: Labels): string =>
  `${ruleId}:${createHash('sha256').update(stable(labels)).digest('hex').slice(0, 16)}`;
