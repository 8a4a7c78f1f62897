import { gitBlobId } from './blobId';

describe('gitBlobId', () => {
  it('is the id `git hash-object` gives the content', () => {
    expect(gitBlobId('hello\n')).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    expect(gitBlobId('')).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
    expect(gitBlobId('Grüße 🦔\r\n')).toBe('c3385183c1c9577362622099e5c55eda0f3a500d');
    expect(gitBlobId(Buffer.from([0, 255, 10, 13]))).toBe('d7da30f65b8f37bf5c949da3dde001f923ad5998');
  });

  it('gives a string and its UTF-8 bytes the same id', () => {
    expect(gitBlobId(Buffer.from('hello\n'))).toBe(gitBlobId('hello\n'));
    expect(gitBlobId(Buffer.from('Grüße', 'utf8'))).toBe(gitBlobId('Grüße'));
  });
});
