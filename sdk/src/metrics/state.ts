/** Live metrics settings, read on the hot path (one property load per call). */
export const metricsState = {
  enabled: true,
  prefix: '',
  defaultTags: {} as Record<string, string>,
  /** Raw histogram values kept per series between flushes; the rest only count toward count/sum. */
  maxValuesPerFlush: 1000,
  /** Distinct tag combinations per metric; beyond it new combinations are dropped and counted. */
  maxSeriesPerMetric: 2000,
};
