import { CheckOutlined, CloseOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Radio, Select, Space, Table, Tag, Typography, type TableProps } from 'antd';
import { useState } from 'react';
import {
  approveScoringItem,
  createScoringItem,
  listMembers,
  listScoringItems,
  rejectScoringItem,
  type ItemKind,
  type ItemState,
  type ManualItemCreate,
  type ManualItemRead,
  type MemberRead,
  type SchemeRead,
} from '../api';
import { useAuth } from '../auth/authContext';
import { useCan } from '../auth/permissions';
import { Pager } from '../components/Pager';
import { t } from '../i18n';
import { ApiError, errorMessage } from '../lib/apiError';
import { formatDateTime } from '../lib/format';
import { useKeyset } from '../lib/useKeyset';
import { useLoader } from '../lib/useLoader';
import { optionsOf } from '../members/labels';
import { etagOf, ITEM_STATE_COLORS } from './labels';
import { showLocalizedFieldErrors } from './problemFields';
import { useMemberNames } from '../components/useNames';

const s = t.scoring;
const it = s.items;
const empty = t.common.empty;
const required = [{ required: true, message: s.form.required }];

/** One member of the scheme's subtree, searched on the server by name or initials. */
function MemberSearch({ orgId, id, value, onChange }: { orgId: number; id?: string; value?: number; onChange?: (value: number) => void }) {
  const [query, setQuery] = useState('');
  const found = useLoader<MemberRead[]>(
    () => listMembers({ query: { org_id: orgId, q: query.trim() || undefined, limit: 20 } }).then(({ data }) => data.items),
    `${orgId}|${query}`,
  );
  return (
    <Select<number>
      id={id}
      aria-label={it.member}
      value={value}
      onChange={onChange}
      showSearch={{ filterOption: false, onSearch: setQuery }}
      loading={found.loading}
      options={(found.data ?? []).map((m) => ({ value: m.id, label: `${m.name}（${m.org_name}）` }))}
    />
  );
}

interface ItemValues {
  member_id?: number;
  kind: ItemKind;
  points?: number;
  reason?: string;
  evidence_text?: string;
}

function CreateItemDialog({ scheme, onClose, onCreated }: { scheme: SchemeRead; onClose: () => void; onCreated: () => void }) {
  const [form] = Form.useForm<ItemValues>();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const submit = async (values: ItemValues) => {
    setSubmitting(true);
    setError(null);
    const body: ManualItemCreate = {
      member_id: values.member_id ?? 0,
      kind: values.kind,
      points: String(values.points ?? 0),
      reason: values.reason?.trim() ?? '',
      evidence_text: values.evidence_text?.trim() ? values.evidence_text.trim() : null,
    };
    try {
      await createScoringItem({ path: { scheme_id: scheme.id }, body });
      onCreated();
    } catch (caught) {
      setError(errorMessage(caught));
      showLocalizedFieldErrors(form, caught);
    } finally {
      setSubmitting(false);
    }
  };
  return (
    <Modal open title={it.createTitle} okText={t.common.submit} cancelText={t.common.cancel} onCancel={onClose} onOk={() => { form.submit(); }} confirmLoading={submitting} destroyOnHidden>
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" /> : null}
      <Form<ItemValues> form={form} layout="vertical" initialValues={{ kind: 'bonus' }} onFinish={(values) => void submit(values)}>
        <Form.Item name="member_id" label={it.member} rules={required}>
          <MemberSearch orgId={scheme.org_id} />
        </Form.Item>
        <Form.Item name="kind" label={it.kind}>
          <Radio.Group options={optionsOf(s.itemKinds)} />
        </Form.Item>
        <Form.Item name="points" label={it.points} rules={required}>
          <InputNumber<number> min={0.01} max={100} precision={2} style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="reason" label={it.reason} rules={[...required, { min: 2, message: it.reasonTooShort }]}>
          <Input.TextArea rows={2} maxLength={500} showCount />
        </Form.Item>
        <Form.Item name="evidence_text" label={it.evidence}>
          <Input.TextArea rows={2} maxLength={2000} placeholder={it.evidenceHint} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Manual bonus and deduction items: anyone with scoring:write asks, someone else with scoring:approve decides. */
export function ItemsTab({ scheme }: { scheme: SchemeRead }) {
  const canWrite = useCan('scoring:write');
  const canApprove = useCan('scoring:approve');
  const { user } = useAuth();
  const { message, modal } = App.useApp();
  const [state, setState] = useState<ItemState | undefined>(undefined);
  const [creating, setCreating] = useState(false);
  const [pageSize, setPageSize] = useState(20);
  const queryKey = `${scheme.id}|${state ?? ''}|${pageSize}`;
  const keyset = useKeyset(queryKey);
  const page = useLoader<{ items: ManualItemRead[]; next_cursor: string | null }>(
    () =>
      listScoringItems({ path: { scheme_id: scheme.id }, query: { state, cursor: keyset.cursor, limit: pageSize } }).then(({ data }) => ({
        items: data.items,
        next_cursor: data.next_cursor ?? null,
      })),
    `${queryKey}|${keyset.cursor ?? ''}`,
  );
  const items = page.data?.items ?? [];
  const names = useMemberNames(items.map((item) => item.member_id));
  const locked = scheme.status === 'published';

  const decide = (item: ManualItemRead, approve: boolean) => {
    let note = '';
    modal.confirm({
      title: approve ? it.approveTitle : it.rejectTitle,
      content: (
        <Input.TextArea
          aria-label={t.common.note}
          placeholder={it.notePlaceholder}
          rows={2}
          maxLength={500}
          onChange={(event) => {
            note = event.target.value;
          }}
        />
      ),
      okText: approve ? it.approve : it.reject,
      okButtonProps: { danger: !approve },
      cancelText: t.common.cancel,
      onOk: async () => {
        const options = { path: { item_id: item.id }, headers: { 'if-match': etagOf(item.version) }, body: { note: note.trim() || null } };
        try {
          await (approve ? approveScoringItem(options) : rejectScoringItem(options));
          void message.success(approve ? it.approved : it.rejected);
        } catch (caught) {
          void message.error(caught instanceof ApiError && caught.status === 412 ? s.staleReloaded : errorMessage(caught));
        }
        page.reload();
      },
    });
  };

  const columns: TableProps<ManualItemRead>['columns'] = [
    { key: 'member', title: it.member, render: (_, item) => names[item.member_id] ?? `#${item.member_id}` },
    {
      key: 'kind',
      title: it.kind,
      render: (_, item) => <Tag color={item.kind === 'bonus' ? 'green' : 'volcano'}>{s.itemKinds[item.kind]}</Tag>,
    },
    { key: 'points', title: it.points, render: (_, item) => <span className="mono">{item.kind === 'bonus' ? '+' : '−'}{item.points}</span> },
    { key: 'reason', title: it.reason, render: (_, item) => item.reason },
    { key: 'evidence', title: it.evidence, render: (_, item) => item.evidence_text ?? empty },
    { key: 'state', title: it.state, render: (_, item) => <Tag color={ITEM_STATE_COLORS[item.state]}>{s.itemStates[item.state]}</Tag> },
    { key: 'requested', title: it.requestedBy, render: (_, item) => item.requested_by },
    {
      key: 'decided',
      title: it.decidedBy,
      render: (_, item) =>
        item.decided_by ? `${item.decided_by} · ${item.decided_at ? formatDateTime(item.decided_at) : ''}${item.decision_note ? ` · ${item.decision_note}` : ''}` : empty,
    },
    {
      key: 'actions',
      title: t.common.actions,
      render: (_, item) => {
        if (!canApprove || locked || item.state !== 'requested') return null;
        // Never one's own request (the API answers 409 approver_is_requester): say so instead.
        if (item.requested_by === user?.username) return <Typography.Text type="secondary">{it.ownRequest}</Typography.Text>;
        return (
          <Space size={4}>
            <Button size="small" icon={<CheckOutlined />} onClick={() => { decide(item, true); }}>
              {it.approve}
            </Button>
            <Button size="small" danger icon={<CloseOutlined />} onClick={() => { decide(item, false); }}>
              {it.reject}
            </Button>
          </Space>
        );
      },
    },
  ];

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Space wrap>
          <Typography.Text type="secondary">{it.hint}</Typography.Text>
          <Select<ItemState>
            aria-label={it.state}
            placeholder={it.state}
            allowClear
            value={state}
            onChange={setState}
            options={optionsOf(s.itemStates)}
            style={{ width: 120 }}
          />
        </Space>
        {canWrite && !locked ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => { setCreating(true); }}>
            {it.create}
          </Button>
        ) : null}
      </Space>
      {page.error ? <Alert type="error" showIcon title={errorMessage(page.error)} /> : null}
      <Table<ManualItemRead>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={items}
        loading={page.loading}
        pagination={false}
        locale={{ emptyText: it.none }}
        scroll={{ x: 'max-content' }}
      />
      <Pager keyset={keyset} nextCursor={page.data?.next_cursor} loading={page.loading} pageSize={pageSize} onPageSize={setPageSize} />
      {creating ? (
        <CreateItemDialog
          scheme={scheme}
          onClose={() => { setCreating(false); }}
          onCreated={() => {
            setCreating(false);
            void message.success(it.created);
            page.reload();
          }}
        />
      ) : null}
    </Space>
  );
}
