import { CheckOutlined, PlayCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, DatePicker, Form, Input, Select, Space, Table, Tag, Tooltip, Typography, type TableProps } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { acknowledgeAlert, listAlerts, listComplaintCategories, runAlerts, type AlertKind, type AlertRead, type AlertState, type ComplaintCategory } from '../api';
import { useCan } from '../auth/permissions';
import { FormDialog } from '../components/FormDialog';
import { OrgPicker } from '../components/OrgPicker';
import { Pager } from '../components/Pager';
import { useOrgNames } from '../components/useNames';
import { LOCALE, t } from '../i18n';
import { errorMessage } from '../lib/apiError';
import { isAfterTodayInChina, pickerToday } from '../lib/dates';
import { formatDateTime } from '../lib/format';
import { useLoader } from '../lib/useLoader';
import { usePaged } from '../lib/usePaged';
import { optionsOf } from '../members/labels';
import { etagOf } from '../scoring/labels';
import { categoryNames } from '../complaints/categories';
import { ComplaintDrawer } from '../complaints/ComplaintDrawer';
import { AlertsFrame } from './AlertsFrame';
import { SurgeChart } from './SurgeChart';
import { surgeSeries, whyText } from './why';

const a = t.alerts;
const empty = t.common.empty;
/** How many complaint links a row shows before "and N more". */
const SHOWN_ITEMS = 5;

const KIND_COLORS: Record<AlertKind, string> = { surge: 'red', duplicates: 'orange' };
const STATE_COLORS: Record<AlertState, string> = { open: 'gold', acknowledged: 'default' };

/** Every category's code (the complaint board filters by it) and own name by id (alerts carry the id). */
function categoryIndex(tree: ComplaintCategory[]): { codes: Record<number, string>; leaves: Record<number, string> } {
  const codes: Record<number, string> = {};
  const leaves: Record<number, string> = {};
  const walk = (nodes: ComplaintCategory[]) => {
    for (const category of nodes) {
      codes[category.id] = category.code;
      leaves[category.id] = (LOCALE as string) === 'en' ? category.name_en : category.name_zh;
      walk(category.children ?? []);
    }
  };
  walk(tree);
  return { codes, leaves };
}

const num = (value: string | null): number | undefined => (value && Number.isInteger(Number(value)) ? Number(value) : undefined);

/** Runs the analysis for one China day (today by default) and says what fired. */
function RunPanel({ onRan, categoryOf }: { onRan: () => void; categoryOf: (alert: AlertRead) => string | undefined }) {
  const [day, setDay] = useState<Dayjs>(() => pickerToday());
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<{ day: string; fired: AlertRead[] } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async () => {
    const iso = day.format('YYYY-MM-DD');
    setRunning(true);
    setError(null);
    setResult(null);
    try {
      const { data } = await runAlerts({ body: { day: iso } });
      setResult({ day: iso, fired: data });
      onRan();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setRunning(false);
    }
  };

  return (
    <div style={{ marginBottom: 16 }}>
      <Space wrap>
        <DatePicker
          aria-label={a.runDay}
          value={day}
          allowClear={false}
          disabledDate={isAfterTodayInChina}
          onChange={(next: Dayjs | null) => {
            if (next) setDay(next);
          }}
        />
        <Button type="primary" icon={<PlayCircleOutlined />} loading={running} onClick={() => void run()}>
          {a.run}
        </Button>
      </Space>
      {error ? <Alert type="error" showIcon role="alert" title={error} style={{ marginTop: 12 }} /> : null}
      {result ? (
        <Alert
          data-testid="run-result"
          type={result.fired.length ? 'warning' : 'success'}
          showIcon
          closable={{
            onClose: () => {
              setResult(null);
            },
          }}
          style={{ marginTop: 12 }}
          title={result.fired.length ? a.runFired(result.day, result.fired.length) : a.runNothing(result.day)}
          description={
            result.fired.length ? (
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {result.fired.map((alert) => (
                  <li key={alert.id}>
                    <Tag color={KIND_COLORS[alert.kind]}>{a.kinds[alert.kind]}</Tag>
                    {whyText(alert, categoryOf(alert)).text}
                  </li>
                ))}
              </ul>
            ) : undefined
          }
        />
      ) : null}
    </div>
  );
}

/**
 * 风险预警: the alerts on the caller's subtree, newest first, filtered by kind, state and org (kept in the
 * address bar); each says why it fired and links to its complaints (opened in the complaint drawer here).
 * Writers run the analysis for a day and acknowledge alerts with a note.
 */
export function AlertsPage() {
  const [params, setParams] = useSearchParams();
  const canWrite = useCan('complaints:write');
  const kind = (params.get('kind') as AlertKind | null) ?? undefined;
  const state = (params.get('state') as AlertState | null) ?? undefined;
  const org = num(params.get('org'));
  const openId = num(params.get('item')) ?? null;
  const [acknowledging, setAcknowledging] = useState<AlertRead | null>(null);

  const paged = usePaged<AlertRead>(
    (limit, cursor) => listAlerts({ query: { kind, state, org_id: org, limit, cursor } }).then(({ data }) => data),
    `${kind ?? ''}|${state ?? ''}|${org ?? ''}`,
  );
  const categories = useLoader<ComplaintCategory[]>(() => listComplaintCategories().then(({ data }) => data), 'categories');
  const names = categoryNames(categories.data ?? []);
  const { codes, leaves } = categoryIndex(categories.data ?? []);
  const orgNames = useOrgNames(paged.items.map((alert) => alert.org_id));

  const set = (changes: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined || value === '') next.delete(key);
      else next.set(key, String(value));
    }
    setParams(next);
  };

  const categoryOf = (alert: AlertRead): string | undefined => (alert.category_id === null ? undefined : leaves[alert.category_id]);

  const columns: TableProps<AlertRead>['columns'] = [
    { key: 'id', title: '#', width: 64, render: (_, alert) => <span className="mono">#{alert.id}</span> },
    {
      key: 'kind',
      title: `${a.fields.kind} / ${a.fields.day}`,
      render: (_, alert) => (
        <Space orientation="vertical" size={2}>
          <Tag color={KIND_COLORS[alert.kind]}>{a.kinds[alert.kind]}</Tag>
          <Tooltip title={`${a.fields.firedAt}：${formatDateTime(alert.fired_at)}`}>
            <span className="mono">{alert.day}</span>
          </Tooltip>
        </Space>
      ),
    },
    { key: 'org', title: a.fields.org, render: (_, alert) => orgNames[alert.org_id] ?? empty },
    {
      key: 'why',
      title: a.fields.why,
      render: (_, alert) => {
        const why = whyText(alert, categoryOf(alert));
        return (
          <div style={{ minWidth: 260, maxWidth: 400, whiteSpace: 'normal' }} data-testid={`why-${alert.id}`}>
            <div>{why.text}</div>
            {why.detail ? <Typography.Text type="secondary">{why.detail}</Typography.Text> : null}
          </div>
        );
      },
    },
    {
      key: 'items',
      title: a.fields.items,
      render: (_, alert) => {
        const code = alert.category_id === null ? undefined : codes[alert.category_id];
        return (
          <div style={{ maxWidth: 200, whiteSpace: 'normal' }}>
            <Space size={[4, 0]} wrap>
              {alert.items.slice(0, SHOWN_ITEMS).map((id) => (
                <Button
                  key={id}
                  type="link"
                  size="small"
                  className="mono"
                  style={{ padding: 0 }}
                  onClick={() => {
                    set({ item: id });
                  }}
                >
                  #{id}
                </Button>
              ))}
              {alert.items.length > SHOWN_ITEMS ? <Typography.Text type="secondary">{a.moreItems(alert.items.length)}</Typography.Text> : null}
            </Space>
            {alert.kind === 'surge' && code ? (
              <div>
                <Link to={`/complaints?${new URLSearchParams({ org: String(alert.org_id), category: code }).toString()}`}>{a.openBoard}</Link>
              </div>
            ) : null}
          </div>
        );
      },
    },
    {
      key: 'state',
      title: a.fields.state,
      render: (_, alert) => (
        <div style={{ maxWidth: 180, whiteSpace: 'normal' }}>
          <Tag color={STATE_COLORS[alert.state]}>{a.states[alert.state]}</Tag>
          {alert.state === 'acknowledged' && alert.acknowledged_at ? (
            <div>
              <Typography.Text type="secondary">{a.acknowledgedBy(alert.acknowledged_by ?? empty, formatDateTime(alert.acknowledged_at))}</Typography.Text>
            </div>
          ) : null}
          {alert.note ? <div>{alert.note}</div> : null}
        </div>
      ),
    },
    {
      key: 'actions',
      title: t.common.actions,
      render: (_, alert) =>
        canWrite && alert.state === 'open' ? (
          <Button
            size="small"
            icon={<CheckOutlined />}
            onClick={() => {
              setAcknowledging(alert);
            }}
          >
            {a.acknowledge}
          </Button>
        ) : null,
    },
  ];

  return (
    <AlertsFrame active="alerts">
      {canWrite ? <RunPanel onRan={paged.page.reload} categoryOf={categoryOf} /> : null}
      <Space wrap size={12} style={{ marginBottom: 16 }}>
        <Select<AlertKind>
          aria-label={a.filters.kind}
          placeholder={a.filters.kind}
          allowClear
          value={kind}
          onChange={(value: AlertKind | undefined) => {
            set({ kind: value });
          }}
          options={optionsOf(a.kinds)}
          style={{ width: 140 }}
        />
        <Select<AlertState>
          aria-label={a.filters.state}
          placeholder={a.filters.state}
          allowClear
          value={state}
          onChange={(value: AlertState | undefined) => {
            set({ state: value });
          }}
          options={optionsOf(a.states)}
          style={{ width: 130 }}
        />
        <OrgPicker
          aria-label={a.filters.org}
          value={org ?? null}
          onChange={(value) => {
            set({ org: value ?? undefined });
          }}
        />
        <Button
          icon={<ReloadOutlined />}
          onClick={() => {
            set({ kind: undefined, state: undefined, org: undefined });
          }}
        >
          {t.common.reset}
        </Button>
      </Space>
      {paged.page.error ? <Alert type="error" showIcon role="alert" title={errorMessage(paged.page.error)} style={{ marginBottom: 16 }} /> : null}
      <div data-testid="alert-table">
        <Table<AlertRead>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={paged.items}
          loading={paged.page.loading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: a.noAlerts }}
          expandable={{
            rowExpandable: (alert) => surgeSeries(alert) !== null,
            expandedRowRender: (alert) => (
              <div style={{ maxWidth: 760 }}>
                <SurgeChart alert={alert} categoryName={categoryOf(alert) ?? a.anyCategory} />
              </div>
            ),
          }}
        />
      </div>
      <Pager
        keyset={paged.keyset}
        nextCursor={paged.page.data?.next_cursor}
        loading={paged.page.loading}
        pageSize={paged.pageSize}
        onPageSize={paged.setPageSize}
      />
      {acknowledging ? (
        <FormDialog<{ note?: string }>
          title={a.acknowledgeTitle(acknowledging.id)}
          okText={a.acknowledge}
          successMessage={a.acknowledged}
          staleMessage={a.staleReloaded}
          submit={({ note }) =>
            acknowledgeAlert({
              path: { alert_id: acknowledging.id },
              headers: { 'if-match': etagOf(acknowledging.version) },
              body: { note: note?.trim() ? note.trim() : null },
            })
          }
          onClose={() => {
            setAcknowledging(null);
          }}
          onDone={() => {
            setAcknowledging(null);
            paged.page.reload();
          }}
          onStale={paged.page.reload}
        >
          <Typography.Paragraph>{whyText(acknowledging, categoryOf(acknowledging)).text}</Typography.Paragraph>
          <Form.Item name="note" label={a.acknowledgeNote} extra={a.acknowledgeNoteHint}>
            <Input.TextArea rows={3} maxLength={500} showCount />
          </Form.Item>
        </FormDialog>
      ) : null}
      {openId ? (
        <ComplaintDrawer
          key={openId}
          id={openId}
          categoryNames={names}
          onClose={() => {
            set({ item: undefined });
          }}
          onChanged={() => undefined}
          onOpen={(id) => {
            set({ item: id });
          }}
        />
      ) : null}
    </AlertsFrame>
  );
}
