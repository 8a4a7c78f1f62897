import { ConfigReader } from '@backstage/config';
import { JsonValue } from '@backstage/types';
import { readHedgehogOptions } from './config';

const read = (fabricConfig: JsonValue | undefined) =>
  readHedgehogOptions(
    new ConfigReader({
      hedgehog: {
        fabrics: [
          { name: 'dc1', git: { url: 'https://git.example.com/net/gitops.git' }, fabricConfig },
          { name: 'dc2', git: { url: 'https://git.example.com/net/gitops.git' } },
        ],
      },
    }),
  );

describe('hedgehog.fabrics[].fabricConfig', () => {
  it('reads the fields validation uses, by fabric name', () => {
    const options = read({ spineASN: 64100, managementSubnet: '10.10.0.0/21', vpcIRBVLANRange: [{ from: 3000, to: 3100 }] });
    expect(options.fabricConfigs).toEqual({
      dc1: { spineASN: 64100, managementSubnet: '10.10.0.0/21', vpcIRBVLANRange: [{ from: 3000, to: 3100 }] },
    });
  });

  it('is optional', () => {
    expect(read(undefined).fabricConfigs).toEqual({});
  });

  it.each([
    [{ spineASN: 'x' }, 'hedgehog.fabrics[0].fabricConfig.spineASN: not a positive integer'],
    [{ users: [{ name: 'admin', password: 'hunter2' }] }, 'hedgehog.fabrics[0].fabricConfig.users: not a field validation uses'],
  ])('rejects %j naming the field', (value, message) => {
    expect(() => read(value)).toThrow(message);
    expect(() => read(value)).toThrow(expect.objectContaining({ message: expect.not.stringContaining('hunter2') }));
  });
});
