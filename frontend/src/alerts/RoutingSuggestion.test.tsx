import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ComplaintCategory, ComplaintRead, Suggestion } from '../api';
import { ActionDialog } from '../complaints/ActionDialog';
import { jsonResponse, org } from '../test/fixtures';
import { renderPage } from '../test/renderPage';

const categories: ComplaintCategory[] = [
  { id: 5, parent_id: null, code: 'water', name_zh: '供水用水', name_en: 'Water', accept_days: null, handle_days: null, extension_days: null, is_active: true, version: 1, children: [] },
];

const item = {
  id: 7,
  title: '自来水停水三天',
  description: '村里自来水已经停了三天',
  category_id: 5,
  category_code: 'water',
  org_id: 3,
  responsible_user_id: null,
  due_at: '2099-01-01T00:00:00Z',
} as ComplaintRead;

function serve(suggestion: Suggestion) {
  return renderPage(
    <ActionDialog action="assign" item={item} etag={'"3"'} onClose={() => undefined} onDone={() => undefined} onStale={() => undefined} />,
    {
      path: '/complaints',
      at: '/complaints',
      routes: {
        'POST /api/v1/alerts/suggest': () => jsonResponse(suggestion),
        'GET /api/v1/complaints/categories': () => jsonResponse(categories),
        'GET /api/v1/orgs/roots': () => jsonResponse({ items: [org({ id: 3, name: '青山县委', child_count: 1 })] }),
        'GET /api/v1/orgs/3': () => jsonResponse(org({ id: 3, name: '青山县委', child_count: 1 })),
        'GET /api/v1/orgs/9': () => jsonResponse(org({ id: 9, name: '县水务局党支部', parent_id: 3 })),
        'GET /api/v1/users': () => jsonResponse({ items: [], next_cursor: null }),
      },
    },
  );
}

describe('RoutingSuggestion in the assign dialog', () => {
  it('suggests the category and org with their confidence, and 采用 fills the org field', async () => {
    const { requests } = serve({ category: 'water', org_id: 9, confidence: 0.83, org_confidence: 0.6, basis: [101, 102], neighbours: [] });
    const hint = await screen.findByTestId('routing-suggestion');
    expect(await within(hint).findByText('县水务局党支部')).toBeInTheDocument();
    expect(within(hint).getByText('供水用水')).toBeInTheDocument();
    expect(within(hint).getByText('置信度 83%')).toBeInTheDocument();
    expect(within(hint).getByText('置信度 60%')).toBeInTheDocument();
    expect(within(hint).getByText('与当前分类一致')).toBeInTheDocument();
    expect(within(hint).getByText('依据 2 件相似的历史诉求')).toBeInTheDocument();
    const asked = requests.find((r) => new URL(r.url).pathname === '/api/v1/alerts/suggest');
    expect(await asked?.json()).toEqual({ text: '自来水停水三天 村里自来水已经停了三天' });

    const dialog = screen.getByRole('dialog');
    const orgField = dialog.querySelector('#org_id')?.closest('.ant-select');
    if (!orgField) throw new Error('no org field');
    await vi.waitFor(() => {
      expect(orgField).toHaveTextContent('青山县委');
    });
    await userEvent.setup().click(within(hint).getByText(/采\s*用/));
    await vi.waitFor(() => {
      expect(orgField).toHaveTextContent('县水务局党支部');
    });
  });

  it('says so when nothing similar was found', async () => {
    serve({ category: null, org_id: null, confidence: 0, org_confidence: 0, basis: [], neighbours: [] });
    expect(await screen.findByTestId('routing-suggestion')).toHaveTextContent('暂无相似的历史诉求可供参考');
  });
});
