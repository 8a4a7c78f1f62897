import { documentLabel } from './documentLabel';

describe('documentLabel', () => {
  it('numbers documents from 1 for people', () => {
    expect(documentLabel(0)).toBe('document 1');
    expect(documentLabel(9)).toBe('document 10');
  });
});
