import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { anomalyFigures, figuresTable, labelledSeries } from '../../../bench/anomaly-figures.js';

describe('anomaly figures (docs/ALERTING.md)', () => {
  it('the generator is seeded: the same series every time', () => {
    const a = labelledSeries('spikes', 7);
    const b = labelledSeries('spikes', 7);
    expect(a.points.slice(0, 5)).toEqual(b.points.slice(0, 5));
    expect([...a.anomalous]).toEqual([...b.anomalous]);
    expect(a.anomalous.size).toBe(8);
  });

  it('the table in the docs is what the detector gives', () => {
    const doc = readFileSync('docs/ALERTING.md', 'utf8');
    const table = /<!-- anomaly-figures:start -->\n([\s\S]*?)<!-- anomaly-figures:end -->/.exec(doc)?.[1];
    expect(table).toBe(figuresTable());
  });

  it('the seasonal detector finds what the static band misses', () => {
    const all = anomalyFigures().find((r) => r.kind === 'all')!;
    const recall = (s: { tp: number; fn: number }) => s.tp / (s.tp + s.fn);
    expect(recall(all.seasonal)).toBeGreaterThan(0.9);
    expect(recall(all.sigma)).toBeLessThan(0.2);
  });
});
