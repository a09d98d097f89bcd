import { en } from '../i18n/en';
import { ORG_KINDS, orgKindColor, orgKindLabel } from './kinds';

describe('organisation kinds', () => {
  it('are labelled with their Chinese names', () => {
    expect(ORG_KINDS.map(orgKindLabel)).toEqual(['党委', '党工委', '党总支', '党支部', '党小组']);
  });

  it('are listed from the top of the hierarchy down', () => {
    expect(ORG_KINDS).toEqual(['committee', 'working_committee', 'general_branch', 'branch', 'group']);
  });

  it('each have a distinct tag colour', () => {
    expect(new Set(ORG_KINDS.map(orgKindColor)).size).toBe(ORG_KINDS.length);
  });

  it('each have an English label too', () => {
    expect(ORG_KINDS.map((kind) => en.org.kinds[kind])).toEqual([
      'Committee',
      'Working committee',
      'General branch',
      'Branch',
      'Group',
    ]);
  });
});
