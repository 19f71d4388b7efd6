import { describe, expect, it } from 'vitest';
import { addressRefusal, classifyAddress, URL_REFUSED, urlRefusal } from '../../functions/core/url-policy.js';

const OFF = { allowPrivate: false } as const;
const ON = { allowPrivate: true } as const;

describe('url policy: addresses in every spelling', () => {
  it.each<[string, 'public' | 'private' | 'refused']>([
    // cloud metadata and credential endpoints, however they are written
    ['169.254.169.254', 'refused'],
    ['0xa9fea9fe', 'refused'],
    ['2852039166', 'refused'],
    ['0251.0376.0251.0376', 'refused'],
    ['169.254.170.2', 'refused'],
    ['169.254.170.23', 'refused'],
    ['::ffff:169.254.169.254', 'refused'],
    ['[::ffff:169.254.169.254]', 'refused'],
    ['::ffff:a9fe:a9fe', 'refused'],
    ['::a9fe:a9fe', 'refused'],
    ['64:ff9b::a9fe:a9fe', 'refused'],
    ['2002:a9fe:a9fe::1', 'refused'],
    ['fd00:ec2::254', 'refused'],
    ['[fd00:ec2::254]', 'refused'],
    ['fd00:ec2::23', 'refused'],
    ['fd00:ec2:0:0:0:0:0:254', 'refused'],
    ['fe80::1', 'refused'],
    ['fe80::1%eth0', 'refused'],
    // never meaningful targets
    ['0.0.0.0', 'refused'],
    ['0.1.2.3', 'refused'],
    ['::', 'refused'],
    ['255.255.255.255', 'refused'],
    ['224.0.0.1', 'refused'],
    ['ff02::1', 'refused'],
    ['240.0.0.1', 'refused'],
    ['::ffff:0.0.0.0', 'refused'],
    // private and loopback: allowed only when the deployment opts in
    ['127.0.0.1', 'private'],
    ['0x7f000001', 'private'],
    ['2130706433', 'private'],
    ['0177.0.0.1', 'private'],
    ['127.1.2.3', 'private'],
    ['::1', 'private'],
    ['::ffff:127.0.0.1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fd12:3456::1', 'private'],
    // public
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::808:808', 'public'],
  ])('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
    const off = addressRefusal(address, OFF);
    const on = addressRefusal(address, ON);
    expect(off === undefined).toBe(expected === 'public');
    expect(on === undefined).toBe(expected !== 'refused');
    if (off) expect(off.code).toBe(URL_REFUSED);
  });

  it('names the endpoint and the setting in its sentences', () => {
    expect(addressRefusal('169.254.169.254', ON)?.message).toBe(
      '169.254.169.254 is the cloud instance metadata service; Vigil never fetches it',
    );
    expect(addressRefusal('::ffff:169.254.170.2', ON)?.message).toContain(
      'which reaches 169.254.170.2) is the ECS task credential endpoint',
    );
    expect(addressRefusal('127.0.0.1', OFF)?.message).toContain('allowPrivateTargets setting is off');
  });

  it('a hostname is not an address', () => {
    expect(classifyAddress('metadata.google.internal')).toBeUndefined();
  });
});

describe('url policy: literal URLs (as saved)', () => {
  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://0xa9fea9fe/',
    'http://2852039166/',
    'http://0251.0376.0251.0376/',
    'http://169.254.43518/',
    'http://[::ffff:169.254.169.254]/',
    'http://[::ffff:a9fe:a9fe]/',
    'http://[fd00:ec2::254]/latest/meta-data/',
    'https://[fe80::1]:8443/',
    'http://0.0.0.0:8080/',
    'http://[::]/',
  ])('%s is refused under every policy', (url) => {
    expect(urlRefusal(url, ON)?.code).toBe(URL_REFUSED);
    expect(urlRefusal(url, OFF)?.code).toBe(URL_REFUSED);
  });

  it.each([
    'http://127.0.0.1:4499/',
    'http://0x7f000001/',
    'http://2130706433/',
    'http://0177.0.0.1/',
    'http://127.1/',
    'http://[::1]/',
    'http://10.1.2.3/',
  ])('%s is refused only with the opt-in off', (url) => {
    expect(urlRefusal(url, ON)).toBeUndefined();
    expect(urlRefusal(url, OFF)?.code).toBe(URL_REFUSED);
  });

  it.each(['https://example.com/health', 'http://localhost/', 'http://169.254.169.254.nip.io/', 'https://8.8.8.8/'])(
    '%s passes before DNS (hostnames are checked at connect)',
    (url) => {
      expect(urlRefusal(url, OFF)).toBeUndefined();
    },
  );

  it('refuses other schemes', () => {
    expect(urlRefusal('file:///etc/passwd', ON)?.message).toContain('only http and https');
  });
});
