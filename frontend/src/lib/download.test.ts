import { dispositionFilename } from './download';

describe('dispositionFilename', () => {
  it('prefers the UTF-8 name, so Chinese names survive', () => {
    const header = `attachment; filename="____.xlsx"; filename*=UTF-8''${encodeURIComponent('叶璐学习档案.xlsx')}`;
    expect(dispositionFilename(header, 'x.xlsx')).toBe('叶璐学习档案.xlsx');
  });

  it('falls back to the plain name, then to the default', () => {
    expect(dispositionFilename('attachment; filename="a.xlsx"', 'x.xlsx')).toBe('a.xlsx');
    expect(dispositionFilename(null, 'x.xlsx')).toBe('x.xlsx');
  });
});
