import { fileBody } from './petitionBody';

describe('fileBody', () => {
  it('sends only the decision for an appeal', () => {
    expect(
      fileBody({ kind: 'appeal', title: ' 等次申诉 ', content: '评议不公', subject_kind: 'evaluation_result', subject_id: 42, target: 'member', concerned_member_id: 5, concerned_org_id: 3 }),
    ).toEqual({ kind: 'appeal', title: '等次申诉', content: '评议不公', subject_kind: 'evaluation_result', subject_id: 42 });
  });

  it('sends the member or the org a report is about, never both', () => {
    const base = { kind: 'report' as const, title: '检举', content: '违规发放补贴', concerned_member_id: 5, concerned_org_id: 3, subject_kind: 'evaluation_result' as const };
    expect(fileBody({ ...base, target: 'member' })).toEqual({ kind: 'report', title: '检举', content: '违规发放补贴', concerned_member_id: 5 });
    expect(fileBody({ ...base, target: 'org' })).toEqual({ kind: 'report', title: '检举', content: '违规发放补贴', concerned_org_id: 3 });
  });

  it('sends the org for a criticism, and the phone only when given', () => {
    expect(fileBody({ kind: 'criticism', title: '建议', content: '改进', target: 'member', concerned_member_id: 5, concerned_org_id: 3, contact_phone: '  ' })).toEqual({
      kind: 'criticism',
      title: '建议',
      content: '改进',
      concerned_org_id: 3,
    });
    expect(fileBody({ kind: 'criticism', title: '建议', content: '改进', concerned_org_id: 3, contact_phone: '13800001111' }).contact_phone).toBe('13800001111');
  });
});
