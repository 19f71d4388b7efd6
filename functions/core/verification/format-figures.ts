/** Figures in sentences a person reads: three significant digits, signed percentages, p-values in e-notation when tiny. */
export function figure(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '∞' : x < 0 ? '−∞' : 'n/a';
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 0.001 || abs >= 1e6)) return x.toExponential(2);
  return Number(x.toPrecision(3)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

export function signedPct(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '+∞%' : x < 0 ? '−∞%' : 'n/a';
  const rounded = Math.abs(x) >= 10 ? Math.round(x) : Number(x.toFixed(1));
  return `${rounded >= 0 ? '+' : ''}${rounded}%`;
}

export function pValue(p: number): string {
  return p < 0.0001 ? p.toExponential(1) : p.toFixed(4);
}
