import { errorLine } from './errorLine';

describe('errorLine', () => {
  it("keeps the first line of a yaml error, without the ':' before its code frame", () => {
    // as the yaml library words it (the backend's and the scaffolder's parse tests use the real one)
    const error = new Error('Flow sequence must end with a ] at line 1, column 16:\n\nkind: [unclosed\n               ^\n');
    expect(errorLine(error)).toBe('Flow sequence must end with a ] at line 1, column 16');
  });

  it('takes any thrown value and cuts long lines', () => {
    expect(errorLine('plain text')).toBe('plain text');
    expect(errorLine(new Error(`${'x'.repeat(400)}\nmore`))).toBe(`${'x'.repeat(297)}...`);
  });
});
