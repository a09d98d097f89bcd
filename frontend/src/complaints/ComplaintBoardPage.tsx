import { DownloadOutlined, ReloadOutlined, SolutionOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Input, Select, Space, Table, Tabs, Tag, TreeSelect, Typography, type TableProps } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { exportComplaints, listComplaintCategories, listComplaints, type Channel, type ComplaintCategory, type ComplaintSummary, type Urgency } from '../api';
import { useAuth } from '../auth/authContext';
import { OrgPicker } from '../components/OrgPicker';
import { Pager } from '../components/Pager';
import { useOrgNames } from '../components/useNames';
import { t } from '../i18n';
import { errorMessage } from '../lib/apiError';
import { dispositionFilename, saveBlob } from '../lib/download';
import { formatDateTime } from '../lib/format';
import { useKeyset } from '../lib/useKeyset';
import { useLoader } from '../lib/useLoader';
import { optionsOf } from '../members/labels';
import { BOARD_TABS, baseQuery, filtersFromParams, filtersToParams, loadBoardPage, pagingOf, type BoardFilters, type BoardPage, type BoardTab } from './boardQuery';
import { categoryNames, categoryTreeData } from './categories';
import { ComplaintDrawer } from './ComplaintDrawer';
import { DeadlineText } from './DeadlineText';
import { STATUS_COLORS, URGENCY_COLORS } from './labels';
import { isOverdue } from './workflow';

const c = t.complaints;
const f = c.fields;
const empty = t.common.empty;

const tabLabel = (tab: BoardTab): string => (tab === 'all' || tab === 'overdue' ? c.tabs[tab] : c.statuses[tab]);

/** The categories, loaded once per page visit (a small, rarely changing tree). */
function useCategories() {
  return useLoader<ComplaintCategory[]>(() => listComplaintCategories().then(({ data }) => data), 'categories');
}

/**
 * 群众诉求台账: the caller's subtree by state, overdue items first, with filters in the address bar and
 * keyset pages from the server; an item opens in a drawer (`?item=<id>`) with its timeline and the
 * steps the caller may take.
 */
export function ComplaintBoardPage() {
  const [params, setParams] = useSearchParams();
  const { user } = useAuth();
  const filters = filtersFromParams(params);
  const openId = Number(params.get('item')) || null;
  const [pageSize, setPageSize] = useState(20);
  const filterKey = filtersToParams(filters).toString();
  // "Only mine" needs the caller's id; other views need not wait for it.
  const mineId = filters.mine ? user?.id : undefined;
  const queryKey = `${filterKey}|${pageSize}|${mineId ?? ''}`;
  const keyset = useKeyset(queryKey);
  const cursor = keyset.cursor;

  const page = useLoader<BoardPage>(
    () =>
      filters.mine && mineId === undefined
        ? new Promise<BoardPage>(() => undefined) // until the caller is known
        : loadBoardPage(
            (query) => listComplaints({ query }).then(({ data }) => ({ items: data.items, next_cursor: data.next_cursor ?? null })),
            baseQuery(filters, mineId),
            filters.tab,
            pageSize,
            cursor,
          ),
    `${queryKey}|${cursor ?? ''}`,
  );
  const categories = useCategories();
  const names = categoryNames(categories.data ?? []);
  const items = page.data?.items ?? [];
  const orgNames = useOrgNames(items.map((item) => item.org_id));
  const [now] = useState(() => new Date());

  const apply = (changes: Partial<BoardFilters>) => {
    const next = filtersToParams({ ...filters, ...changes });
    if (openId) next.set('item', String(openId));
    setParams(next);
  };
  const open = (id: number | null) => {
    const next = new URLSearchParams(params);
    if (id === null) next.delete('item');
    else next.set('item', String(id));
    setParams(next);
  };

  const columns: TableProps<ComplaintSummary>['columns'] = [
    { key: 'id', title: f.id, width: 72, render: (_, item) => <span className="mono">#{item.id}</span> },
    {
      key: 'title',
      title: f.title,
      render: (_, item) => (
        <Button
          type="link"
          style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'start' }}
          onClick={() => {
            open(item.id);
          }}
        >
          {item.title}
        </Button>
      ),
    },
    {
      key: 'status',
      title: f.status,
      render: (_, item) => (
        <Space size={4} wrap>
          <Tag color={STATUS_COLORS[item.status]}>{c.statuses[item.status]}</Tag>
          {isOverdue(item, now) ? <Tag color="red">{c.overdueTag}</Tag> : null}
          {item.escalated_at ? <Tag color="volcano">{c.escalatedTag}</Tag> : null}
        </Space>
      ),
    },
    {
      key: 'urgency',
      title: f.urgency,
      render: (_, item) => <Tag color={URGENCY_COLORS[item.urgency]}>{c.urgencies[item.urgency]}</Tag>,
    },
    { key: 'category', title: f.category, render: (_, item) => names[item.category_id] ?? empty },
    { key: 'channel', title: f.channel, render: (_, item) => c.channels[item.channel] },
    { key: 'org', title: f.org, render: (_, item) => orgNames[item.org_id] ?? empty },
    { key: 'received', title: f.receivedAt, render: (_, item) => formatDateTime(item.received_at) },
    { key: 'due', title: f.dueAt, render: (_, item) => <DeadlineText item={item} now={now} /> },
  ];

  const paging = pagingOf(filters.tab);
  const { message } = App.useApp();
  const [exporting, setExporting] = useState(false);

  // The export takes the same filters (newest first, or the overdue list on its own segment) and needs
  // the bearer token, so it is fetched here and handed to the browser.
  const exportXlsx = async () => {
    setExporting(true);
    try {
      const query = { ...baseQuery(filters, mineId), overdue: filters.tab === 'overdue' ? true : undefined, format: 'xlsx' as const };
      const { data, response } = await exportComplaints({ query, parseAs: 'blob' });
      saveBlob(data as Blob, dispositionFilename(response.headers.get('Content-Disposition'), 'complaints.xlsx'));
      void message.success(c.exported);
    } catch (error) {
      void message.error(errorMessage(error));
    } finally {
      setExporting(false);
    }
  };

  return (
    <Card
      title={
        <Space>
          <SolutionOutlined style={{ color: 'var(--ant-color-primary)' }} />
          {c.boardTitle}
        </Space>
      }
      extra={
        <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportXlsx()}>
          {c.exportXlsx}
        </Button>
      }
    >
      <Tabs
        activeKey={filters.tab}
        onChange={(tab) => {
          apply({ tab: tab as BoardTab });
        }}
        items={BOARD_TABS.map((tab) => ({ key: tab, label: tabLabel(tab) }))}
        style={{ marginTop: -12 }}
      />
      <Space wrap size={12} style={{ marginBottom: 16 }}>
        <Input.Search
          key={`q-${filters.q ?? ''}`}
          aria-label={c.searchPlaceholder}
          placeholder={c.searchPlaceholder}
          defaultValue={filters.q}
          allowClear
          enterButton={t.common.search}
          onSearch={(q) => {
            apply({ q });
          }}
          style={{ width: 280 }}
        />
        <TreeSelect<string>
          aria-label={c.filters.category}
          placeholder={c.filters.category}
          allowClear
          showSearch={{ treeNodeFilterProp: 'title' }}
          treeData={categoryTreeData(categories.data ?? [])}
          value={filters.category}
          onChange={(category: string | undefined) => {
            apply({ category });
          }}
          style={{ width: 180 }}
          popupMatchSelectWidth={false}
        />
        <Select<Channel>
          aria-label={c.filters.channel}
          placeholder={c.filters.channel}
          allowClear
          value={filters.channel}
          onChange={(channel: Channel | undefined) => {
            apply({ channel });
          }}
          options={optionsOf(c.channels)}
          style={{ width: 130 }}
        />
        <Select<Urgency>
          aria-label={c.filters.urgency}
          placeholder={c.filters.urgency}
          allowClear
          value={filters.urgency}
          onChange={(urgency: Urgency | undefined) => {
            apply({ urgency });
          }}
          options={optionsOf(c.urgencies)}
          style={{ width: 120 }}
        />
        <OrgPicker
          aria-label={c.filters.org}
          value={filters.org ?? null}
          onChange={(org) => {
            apply({ org: org ?? undefined });
          }}
        />
        <Checkbox
          checked={filters.mine ?? false}
          onChange={(event) => {
            apply({ mine: event.target.checked || undefined });
          }}
        >
          {c.mine}
        </Checkbox>
        <Button
          icon={<ReloadOutlined />}
          onClick={() => {
            apply({ category: undefined, channel: undefined, urgency: undefined, org: undefined, q: undefined, mine: undefined });
          }}
        >
          {t.common.reset}
        </Button>
      </Space>
      {page.error ? <Alert type="error" showIcon title={errorMessage(page.error)} style={{ marginBottom: 16 }} /> : null}
      <div data-testid="complaint-table">
        <Table<ComplaintSummary>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={items}
          loading={page.loading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          rowClassName={(item) => (isOverdue(item, now) ? 'row-overdue' : '')}
          locale={{ emptyText: c.noItems }}
        />
      </div>
      <Pager
        keyset={keyset}
        nextCursor={page.data?.next_cursor}
        loading={page.loading}
        pageSize={pageSize}
        onPageSize={setPageSize}
        info={
          <>
            {c.total(items.length)}
            {paging === 'overdue-first' ? <Typography.Text type="secondary"> · {c.overdueFirst}</Typography.Text> : null}
          </>
        }
      />
      {openId ? (
        <ComplaintDrawer
          key={openId}
          id={openId}
          categoryNames={names}
          onClose={() => {
            open(null);
          }}
          onChanged={page.reload}
          onOpen={open}
        />
      ) : null}
    </Card>
  );
}
