import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../../dashboard/src/lib/time-range.js';
import { navigate, parseState, toSearch, type UrlState, VIEWS } from '../../../dashboard/src/lib/url-state.js';

describe('dashboard URL state', () => {
  it('reads a shared link back into the same state', () => {
    const state = parseState('?view=logs&service=checkout&range=6h&level=error&q=payment%20failed&paused=1');
    expect(state).toEqual({
      view: 'logs',
      service: 'checkout',
      range: { kind: 'preset', preset: '6h' },
      paused: true,
      level: 'error',
      q: 'payment failed',
    });
  });

  it('falls back to defaults on malformed values instead of breaking', () => {
    const state = parseState('?view=nope&range=3y&level=loud&traceId=xyz&minDurationMs=-4&from=a&to=b');
    expect(state).toEqual({ view: 'overview', range: { kind: 'preset', preset: '1h' }, paused: false });
    expect(parseState('?range=custom&from=20&to=10').range).toEqual({ kind: 'preset', preset: '1h' });
  });

  it('keeps a custom range and leaves defaults out of the link', () => {
    expect(parseState('?range=custom&from=1000&to=2000').range).toEqual({ kind: 'custom', from: 1000, to: 2000 });
    expect(toSearch({ view: 'overview', range: { kind: 'preset', preset: '1h' }, paused: false })).toBe('');
  });

  it('round-trips every state it can write', () => {
    const state = fc.record(
      {
        view: fc.constantFrom(...VIEWS),
        range: fc.oneof(
          fc.constantFrom(...PRESETS).map((preset) => ({ kind: 'preset' as const, preset })),
          fc
            .tuple(fc.nat(1e12), fc.integer({ min: 1, max: 1e9 }))
            .map(([from, d]) => ({ kind: 'custom' as const, from, to: from + d })),
        ),
        paused: fc.boolean(),
        service: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
        level: fc.constantFrom('debug', 'info', 'warn', 'error'),
        q: fc.stringMatching(/^[a-z][a-z ]{0,10}[a-z]$/),
        traceId: fc.stringMatching(/^[0-9a-f]{32}$/),
        minDurationMs: fc.nat(1e6),
        metric: fc.stringMatching(/^[a-z][a-z.]{0,20}$/),
      },
      { requiredKeys: ['view', 'range', 'paused'] },
    );
    fc.assert(
      fc.property(state, (s) => {
        expect(parseState(toSearch(s as UrlState))).toEqual(s);
      }),
    );
  });

  it('keeps service, range and pause across views and drops view filters', () => {
    const from = parseState('?view=logs&service=a&range=24h&q=x&paused=1');
    expect(navigate(from, 'traces')).toEqual({
      view: 'traces',
      service: 'a',
      range: { kind: 'preset', preset: '24h' },
      paused: true,
    });
  });
});
