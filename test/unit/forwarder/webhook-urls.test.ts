import { describe, expect, it } from 'vitest';
import { MAX_WEBHOOKS, webhookUrls } from '../../../functions/forwarder/webhook-urls.js';

describe('webhook URLs in the secret', () => {
  it.each([
    ['one URL', 'https://hooks.slack.com/services/T/B/x', ['https://hooks.slack.com/services/T/B/x'], []],
    ['comma separated', 'https://a.example/1, https://b.example/2', ['https://a.example/1', 'https://b.example/2'], []],
    ['one per line', 'https://a.example/1\nhttps://b.example/2\n', ['https://a.example/1', 'https://b.example/2'], []],
    ['a JSON array', '["https://a.example/1"]', ['https://a.example/1'], []],
    ['a broken JSON array', '["https://a', [], ['the secret starts with "[" but is not a JSON array']],
    ['not a URL', 'hooks.slack.com/x', [], ['entry 1: not a URL']],
    [
      'another scheme',
      'https://a.example/1,ftp://b.example/',
      ['https://a.example/1'],
      ['entry 2: not an http(s) URL'],
    ],
    [
      'a JSON entry that is not a string',
      '[1, "https://a.example/1"]',
      ['https://a.example/1'],
      ['entry 1: not a URL'],
    ],
  ])('%s', (_name, secret, urls, problems) => {
    expect(webhookUrls(secret)).toEqual({ urls, problems });
  });

  it(`uses at most ${MAX_WEBHOOKS}`, () => {
    const many = Array.from({ length: MAX_WEBHOOKS + 2 }, (_, i) => `https://h.example/${i}`).join(',');
    const out = webhookUrls(many);
    expect(out.urls).toHaveLength(MAX_WEBHOOKS);
    expect(out.problems).toEqual([`more than ${MAX_WEBHOOKS} webhooks: the first ${MAX_WEBHOOKS} are used`]);
  });
});
