import { describe, expect, it } from 'vitest';
import { refusalCode, refusalLogGate, tallyRefusals } from '../../../functions/core/telemetry/refusals.js';

describe('refusal tallies and the log gate', () => {
  it('counts items (not violations) per service and code, and what the listing left out as unlisted', () => {
    const tallies = tallyRefusals(
      [
        { service: 'a', path: 'metrics[0].value', reason: 'must be finite' },
        { service: 'a', path: 'metrics[0].tags.x', reason: 'must be at most 128 characters' },
        { service: 'a', path: 'metrics[1].timestamp', reason: 'is older than the 24 h ingest window' },
        { service: 'b', path: 'spans', reason: 'service names use letters', code: 'resource-refused', count: 7 },
      ],
      new Map([
        ['a', 5],
        ['b', 7],
      ]),
    );
    expect(tallies.map((t) => [t.service, t.code, t.count])).toEqual([
      ['a', 'invalid-item', 1],
      ['a', 'too-old', 1],
      ['b', 'resource-refused', 7],
      ['a', 'unlisted', 3],
    ]);
  });

  it.each([
    ['service s has reached its limit of 2000 metric series; new series are refused', 'series-limit'],
    ['is more than 10 min in the future', 'too-new'],
    ["would take this series' 60 s step past a total of 9007199254740991 in one batch", 'step-total-overflow'],
    ['must be a string', 'invalid-item'],
  ])('reads the code of "%s"', (reason, code) => {
    expect(refusalCode(reason)).toBe(code);
  });

  it('lets one line per service and code through per minute (pinned clock)', () => {
    const gate = refusalLogGate(60_000);
    const t0 = Date.UTC(2025, 10, 26, 15, 0, 0);
    expect([gate('a', 'too-old', t0), gate('a', 'too-old', t0 + 59_999), gate('a', 'invalid-item', t0 + 1)]).toEqual([
      true,
      false,
      true,
    ]);
    expect([gate('b', 'too-old', t0 + 2), gate('a', 'too-old', t0 + 60_000)]).toEqual([true, true]);
  });
});
