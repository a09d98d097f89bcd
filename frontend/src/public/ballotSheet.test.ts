import { sheetLink, toBallots } from './ballotSheet';

describe('ballot sheet', () => {
  const members = [
    { member_id: 11, name: '张三' },
    { member_id: 12, name: '李四' },
    { member_id: 13, name: '王五' },
  ];

  it('sends a ballot per rated member in the sheet’s order and skips the rest', () => {
    expect(toBallots(members, { 13: 'basic', 11: 'excellent' })).toEqual([
      { member_id: 11, grade: 'excellent' },
      { member_id: 13, grade: 'basic' },
    ]);
    expect(toBallots(members, {})).toEqual([]);
  });

  it('links to the public sheet of a token', () => {
    expect(sheetLink('https://vanguard.example.org', 'Ab-9_x')).toBe('https://vanguard.example.org/public/scoring/sheets/Ab-9_x');
  });
});
