import { describe, expect, it } from 'vitest';
import {
  formatAgo,
  formatDuration,
  formatNumber,
  formatPercent,
  formatRate,
  formatTime,
  formatUtc,
} from '../../../dashboard/src/lib/format.js';
import { describeRange, presetMs, resolveRange, stepFor } from '../../../dashboard/src/lib/time-range.js';

const NOW = Date.UTC(2026, 10, 26, 16, 41, 52, 571);

describe('time ranges', () => {
  it.each([
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['6h', 21_600_000],
    ['24h', 86_400_000],
    ['7d', 604_800_000],
  ] as const)('%s is %i ms back from the pinned now', (preset, ms) => {
    expect(presetMs(preset)).toBe(ms);
    expect(resolveRange({ kind: 'preset', preset }, NOW)).toEqual({ from: NOW - ms, to: NOW });
  });

  it('keeps a custom range as given, whatever now is', () => {
    expect(resolveRange({ kind: 'custom', from: 5, to: 9 }, NOW)).toEqual({ from: 5, to: 9 });
    expect(describeRange({ kind: 'custom', from: 5, to: 9 })).toBe('custom range');
  });

  it.each([
    [3_600_000, 60],
    [21_600_000, 300],
    [604_800_000, 7200],
    [60_000, 60],
  ])('a %i ms range is charted in %i s steps', (span, step) => {
    expect(stepFor(0, span)).toBe(step);
  });
});

describe('formatting', () => {
  it.each([
    [null, '—'],
    [Number.NaN, '—'],
    [0.123456, '0.12'],
    [42, '42'],
    [1234.5, '1235'],
    [12_345, '12.3k'],
    [2_500_000, '2.5M'],
  ])('number %s → %s', (n, text) => expect(formatNumber(n as number | null)).toBe(text));

  it.each([
    [0.25, '250 µs'],
    [4.26, '4.3 ms'],
    [212.4, '212 ms'],
    [1530, '1.53 s'],
    [90_000, '1.5 min'],
    [7_200_000, '2 h'],
  ])('duration %s ms → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it('writes shares as percentages and tiny non-zero shares as below the precision', () => {
    expect(formatPercent(0.0123)).toBe('1.2%');
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatPercent(0.00001)).toBe('<0.1%');
    expect(formatRate(3.456)).toBe('3.46/s');
  });

  it('shows local time in the given zone and UTC for the hover', () => {
    expect(formatUtc(NOW)).toBe('2026-11-26 16:41:52 UTC');
    // The browser's zone in the page; a fixed zone here so the test does not depend on the machine's.
    expect(formatTime(NOW, 'Asia/Tokyo')).toBe(
      new Date(NOW).toLocaleString(undefined, {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        timeZone: 'Asia/Tokyo',
      }),
    );
    expect(formatTime(NOW, 'Asia/Tokyo')).toContain('27');
    expect(formatTime('not a time')).toBe('—');
  });

  it('says how long ago relative to a pinned now', () => {
    expect(formatAgo(NOW - 2000, NOW)).toBe('just now');
    expect(formatAgo(NOW - 125_000, NOW)).toBe('2 min ago');
    expect(formatAgo(NOW - 3 * 86_400_000, NOW)).toBe('3 d ago');
  });
});
