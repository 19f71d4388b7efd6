/** Error rate per step from request rates grouped by status class: 5xx over all, only where there was traffic. */
export function errorRatio(
  series: readonly { tags: Record<string, string>; points: readonly (readonly [number, number])[] }[],
): [number, number][] {
  const total = new Map<number, number>();
  const errors = new Map<number, number>();
  for (const s of series) {
    const cls = s.tags.status_class ?? s.tags.status ?? '';
    for (const [t, v] of s.points) {
      total.set(t, (total.get(t) ?? 0) + v);
      if (cls.startsWith('5')) errors.set(t, (errors.get(t) ?? 0) + v);
    }
  }
  return [...total.entries()]
    .filter(([, n]) => n > 0)
    .sort((a, b) => a[0] - b[0])
    .map(([t, n]) => [t, (errors.get(t) ?? 0) / n]);
}
