import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { jsonResponse, member, org } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { SchemePage } from './SchemePage';
import { scheme, secretary } from './testData';

const branch = org({ id: 3, name: '罗湾村党支部' });



function serve(at: string, routes: Parameters<typeof renderPage>[1]['routes'] = {}) {
  return renderPage(<SchemePage />, {
    path: '/scoring/schemes/:schemeId',
    at,
    user: secretary,
    routes: {
      'GET /api/v1/scoring/schemes/4': () => jsonResponse(scheme()),
      'GET /api/v1/orgs/3': () => jsonResponse(branch),
      'GET /api/v1/orgs/roots': () => jsonResponse({ items: [branch] }),
      'GET /api/v1/members/21': () => jsonResponse(member({ id: 21, name: '张明' })),
      'GET /api/v1/members/22': () => jsonResponse(member({ id: 22, name: '车浩' })),
      ...routes,
    },
  });
}

describe('SchemePage rules', () => {
  it('saves the next version of the rules with If-Match', async () => {
    const { requests } = serve('/scoring/schemes/4', {
      'PATCH /api/v1/scoring/schemes/4': () => jsonResponse(scheme({ name: '2026年度党员积分（修订）', version: 2 })),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: /修改规则与权重/ }));
    const editor = await screen.findByTestId('rules-editor');
    const name = within(editor).getByLabelText('方案名称');
    await user.clear(name);
    await user.type(name, '2026年度党员积分（修订）');
    await user.click(within(editor).getByRole('button', { name: /保\s*存/ }));
    expect(await screen.findByText('已保存为新版本')).toBeInTheDocument();
    const patch = requests.find((r) => r.method === 'PATCH');
    expect(patch?.headers.get('if-match')).toBe('"1"');
    expect(await patch?.json()).toMatchObject({
      name: '2026年度党员积分（修订）',
      rules: [{ source: 'study_hours', points_per_unit: '0.5', cap: '20', period: 'scheme', label: null, categories: [] }],
      rater_weights: { self: '0.1', fellow: '0.25', committee: '0.2', superior: '0.15', masses: '0.3' },
    });
  });
});
