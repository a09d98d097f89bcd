import { homeViewOf } from './homeView';

describe('homeViewOf', () => {
  it('gives secretaries their week, other member readers the charts and members a welcome', () => {
    expect(homeViewOf({ role: 'secretary', permissions: ['members:read'] })).toBe('branch');
    expect(homeViewOf({ role: 'org_admin', permissions: ['members:read'] })).toBe('county');
    expect(homeViewOf({ role: 'admin', permissions: ['members:read'] })).toBe('county');
    expect(homeViewOf({ role: 'member', permissions: ['orgs:read'] })).toBe('member');
  });
});
