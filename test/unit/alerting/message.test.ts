import { describe, expect, it } from 'vitest';
import { buildMessage, clampSubject } from '../../../functions/core/alerting/message.js';
import { reason } from '../../../functions/core/reason.js';
import { alert, candidate } from './pipeline-fixtures.js';

describe('messages', () => {
  const extras = {
    decisions: [reason('send', 'sent')],
    group: undefined,
    dependents: [],
    deploys: [],
    dashboardUrl: 'https://vigil.example.com/',
  };

  it('builds the body, subject and attributes', () => {
    const a = alert();
    const m = buildMessage(candidate(a), extras);
    expect(m.subject).toBe('[FIRING] critical checkout: p95 950 ms on checkout');
    expect(m.attributes).toEqual({
      service: 'checkout',
      severity: 'critical',
      state: 'firing',
      rule: 'latency',
      notificationId: 'latency:checkout#2',
    });
    expect(m.message).toMatchObject({
      notificationId: 'latency:checkout#2',
      kind: 'firing',
      alert: {
        id: 'latency:checkout',
        rule: 'latency',
        state: 'firing',
        value: 950,
        firedAt: '2026-12-02T12:00:00.000Z',
      },
      annotations: { summary: 'p95 950 ms on checkout', runbook: 'https://wiki/rb' },
      transition: { seq: 2, from: 'pending', to: 'firing' },
      reason: { code: 'for-elapsed', message: 'true for 2 min' },
      links: { dashboard: 'https://vigil.example.com/?view=alerts&service=checkout', runbook: 'https://wiki/rb' },
    });
    expect(m.templateErrors).toEqual([]);
  });

  it('sends a template that fails raw and reports it', () => {
    const a = { ...alert(), annotations: { summary: 'p95 {{ vlaue }}', description: 'fine' } };
    const m = buildMessage(candidate(a), extras);
    expect(m.message.annotations).toEqual({ summary: 'p95 {{ vlaue }}', description: 'fine' });
    expect(m.templateErrors).toEqual([
      {
        field: 'annotations.summary',
        error: '"{{ vlaue }}" is not a template field; use {{ value }} or {{ labels.NAME }}',
      },
    ]);
    expect(m.subject).toBe('[FIRING] critical checkout: p95 {{ vlaue }}');
  });

  it('keeps subjects to 100 printable ASCII characters', () => {
    expect(clampSubject('deploy ✅ done\nnext')).toBe('deploy done next');
    const long = clampSubject(`[FIRING] ${'x'.repeat(200)}`);
    expect(long).toHaveLength(100);
    expect(long.endsWith('...')).toBe(true);
    const a = { ...alert(), annotations: { summary: 'y'.repeat(300) } };
    expect(buildMessage(candidate(a), extras).subject).toHaveLength(100);
  });

  it('a service-less alert still has every attribute non-empty (SNS refuses empty values)', () => {
    const a = { ...alert(), labels: { rule: 'latency' } };
    expect(buildMessage(candidate(a), { ...extras, dashboardUrl: undefined }).attributes.service).toBe('none');
    expect(buildMessage(candidate(a), { ...extras, dashboardUrl: undefined }).message.links).toEqual({
      runbook: 'https://wiki/rb',
    });
  });
});
