import { filtersFromParams, filtersToParams, toQuery } from './memberQuery';

describe('member list filters', () => {
  it('round-trip through the address bar, dropping blanks', () => {
    const params = new URLSearchParams('org=3&q=%20zs%20&stage=activist&age_min=30&desc=1&sort=name&junk=1&age_max=x');
    const filters = filtersFromParams(params);
    expect(filters).toMatchObject({ org: 3, q: ' zs ', stage: 'activist', ageMin: 30, ageMax: undefined, desc: true, sort: 'name' });
    expect(filtersToParams(filters).toString()).toBe('org=3&q=zs&stage=activist&age_min=30&sort=name&desc=1');
  });

  it('become the API query of one page', () => {
    expect(toQuery({ org: 3, q: '  ', joinYear: 2020 }, 50, 'c2')).toMatchObject({
      org_id: 3,
      q: undefined,
      join_year: 2020,
      limit: 50,
      cursor: 'c2',
    });
  });
});
