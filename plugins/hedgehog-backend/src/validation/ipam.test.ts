import {
  containsAddr,
  formatIPv4,
  formatPrefix,
  isCanonical,
  isCommunity,
  isIPAddress,
  isSubset,
  overlaps,
  parseCIDR,
  parseIPv4,
  parseMAC,
} from './ipam';
import { portAlias, splitPort } from './connectionModel';

describe('ipam', () => {
  it.each([
    ['10.0.0.1', 167772161],
    ['0.0.0.0', 0],
    ['255.255.255.255', 4294967295],
  ])('parses %s', (text, n) => {
    expect(parseIPv4(text)).toBe(n);
    expect(formatIPv4(n)).toBe(text);
  });

  it.each(['10.0.0', '10.0.0.256', '010.0.0.1', '10.0.0.1 ', '1.2.3.4.5', '', 'a.b.c.d', '-1.0.0.0', undefined, 7])(
    'rejects the address %p',
    text => expect(parseIPv4(text)).toBeUndefined(),
  );

  it('parses prefixes, with host bits as netip.ParsePrefix', () => {
    const p = parseCIDR('10.0.1.7/24')!;
    expect(formatPrefix(p)).toBe('10.0.1.0/24');
    expect(isCanonical(p)).toBe(false);
    expect(formatIPv4(p.last)).toBe('10.0.1.255');
    expect(isCanonical(parseCIDR('0.0.0.0/0')!)).toBe(true);
    expect(parseCIDR('0.0.0.0/0')!.last).toBe(4294967295);
    expect(parseCIDR('10.0.0.1/32')!.network).toBe(parseIPv4('10.0.0.1'));
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '10.0.0.0/08', '10.0.0.0/', '/24', '10.0.0.0/24/1', 'fd00::/64']) {
      expect(parseCIDR(bad)).toBeUndefined();
    }
  });

  it('compares prefixes', () => {
    const a = parseCIDR('10.0.0.0/16')!;
    const b = parseCIDR('10.0.128.0/17')!;
    const c = parseCIDR('10.1.0.0/16')!;
    expect(overlaps(a, b)).toBe(true);
    expect(overlaps(a, c)).toBe(false);
    expect(isSubset(b, a)).toBe(true);
    expect(isSubset(a, b)).toBe(false);
    expect(containsAddr(a, parseIPv4('10.0.255.255')!)).toBe(true);
    expect(containsAddr(a, parseIPv4('10.1.0.0')!)).toBe(false);
  });

  it('recognises IPv4 and IPv6 addresses', () => {
    for (const ok of ['10.0.0.1', '::', '::1', 'fd00::1', '2001:db8:0:0:0:0:0:1', '::ffff:10.0.0.1', '1:2:3:4:5:6:7::']) {
      expect(isIPAddress(ok)).toBe(true);
    }
    for (const bad of ['', '10.0.0', ':::', '1::2::3', '12345::', '1:2:3:4:5:6:7:8:9', 'g::1', 'fd00::1%eth0']) {
      expect(isIPAddress(bad)).toBe(false);
    }
  });

  it('parses MAC addresses as net.ParseMAC', () => {
    expect(parseMAC('0C:20:12:FF:00:00')).toBe('0c:20:12:ff:00:00');
    expect(parseMAC('0c-20-12-ff-00-00')).toBe('0c:20:12:ff:00:00');
    expect(parseMAC('0c20.12ff.0000')).toBe('0c:20:12:ff:00:00');
    for (const bad of ['0c:20:12:ff:00', '0c:20:12:ff:00:0g', '0c:20-12:ff:00:00', '0c2012ff0000', '']) {
      expect(parseMAC(bad)).toBeUndefined();
    }
  });

  it('checks communities as Hedgehog does', () => {
    for (const ok of ['50000:50001', '0:0', '65535:65535']) expect(isCommunity(ok)).toBe(true);
    for (const bad of ['65536:1', '1:65536', '01:1', '1', '1:2:3', ':1', 'a:b']) expect(isCommunity(bad)).toBe(false);
  });

  it('splits port names and knows breakout aliases', () => {
    expect(splitPort('leaf-01/E1/55')).toEqual({ device: 'leaf-01', local: 'E1/55' });
    expect(splitPort('/E1/1')).toBeUndefined();
    expect(splitPort('leaf-01/')).toBeUndefined();
    expect(portAlias('leaf-01/E1/55')).toBe('leaf-01/E1/55/1');
    expect(portAlias('leaf-01/E1/55/1')).toBe('leaf-01/E1/55/1');
    expect(portAlias('leaf-01/E1/55/2')).toBe('leaf-01/E1/55/2');
    expect(portAlias('server-01/eth0')).toBe('server-01/eth0');
  });
});
