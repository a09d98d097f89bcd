import { ApiOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Popconfirm, Space, Tag, Tooltip, Typography, type TableProps } from 'antd';
import { useState } from 'react';
import { exportServiceAccounts, listServiceAccounts, updateServiceAccount, type ServiceAccountRead } from '../api';
import { ExportButtons } from '../components/ExportButtons';
import { PagedTable } from '../components/PagedTable';
import { useOrgNames } from '../components/useNames';
import { t } from '../i18n';
import { ApiError, errorMessage } from '../lib/apiError';
import { formatDateTime } from '../lib/format';
import { usePaged } from '../lib/usePaged';
import { etagOf } from '../scoring/labels';
import { ServiceAccountDialog } from './ServiceAccountDialog';
import { TokensDrawer } from './TokensDrawer';

const ad = t.admin;
const s = ad.serviceAccounts;

type Dialog = { kind: 'create' } | { kind: 'edit'; account: ServiceAccountRead } | { kind: 'tokens'; account: ServiceAccountRead } | null;

/** 服务账号: accounts external systems call the API with, their scopes, and their tokens. */
export function ServiceAccountsPage() {
  const { message } = App.useApp();
  const [reloadKey, setReloadKey] = useState(0);
  const paged = usePaged(
    (limit, cursor) => listServiceAccounts({ query: { limit, cursor } }).then(({ data }) => data),
    String(reloadKey),
  );
  const { items } = paged;
  const orgNames = useOrgNames(items.map((account) => account.org_id));
  const [dialog, setDialog] = useState<Dialog>(null);

  const reload = () => {
    setReloadKey((n) => n + 1);
  };
  const done = () => {
    setDialog(null);
    reload();
  };
  const stale = () => {
    void message.warning(ad.stale);
    done();
  };
  const setActive = async (account: ServiceAccountRead, active: boolean) => {
    try {
      await updateServiceAccount({ path: { account_id: account.id }, headers: { 'if-match': etagOf(account.version) }, body: { is_active: active } });
      void message.success(active ? s.activated : s.deactivated);
    } catch (error) {
      void (error instanceof ApiError && error.status === 412 ? message.warning(ad.stale) : message.error(errorMessage(error)));
    }
    reload();
  };

  const columns: TableProps<ServiceAccountRead>['columns'] = [
    { key: 'name', title: s.name, render: (_, account) => <strong>{account.name}</strong> },
    { key: 'description', title: s.description, render: (_, account) => account.description ?? t.common.empty },
    { key: 'org', title: ad.org, render: (_, account) => orgNames[account.org_id] ?? `#${String(account.org_id)}` },
    {
      key: 'scopes',
      title: s.scopes,
      render: (_, account) => (
        <Space size={[0, 4]} wrap style={{ maxWidth: 360 }}>
          {account.scopes.map((scope) => (
            <Tooltip key={scope} title={scope}>
              <Tag>{ad.permissions[scope]}</Tag>
            </Tooltip>
          ))}
        </Space>
      ),
    },
    { key: 'status', title: t.admin.users.status, render: (_, account) => (account.is_active ? <Tag color="green">{ad.active}</Tag> : <Tag>{ad.inactive}</Tag>) },
    { key: 'created', title: t.admin.users.createdAt, render: (_, account) => formatDateTime(account.created_at) },
    {
      key: 'actions',
      title: t.common.actions,
      fixed: 'right',
      render: (_, account) => (
        <Space size={4}>
          <Button
            size="small"
            type="primary"
            ghost
            aria-label={`${s.tokens} ${account.name}`}
            data-testid={`account-tokens-${String(account.id)}`}
            onClick={() => {
              setDialog({ kind: 'tokens', account });
            }}
          >
            {s.tokens}
          </Button>
          <Button
            size="small"
            aria-label={`${s.edit} ${account.name}`}
            onClick={() => {
              setDialog({ kind: 'edit', account });
            }}
          >
            {s.edit}
          </Button>
          {account.is_active ? (
            <Popconfirm title={s.deactivateConfirm(account.name)} okText={s.deactivate} okButtonProps={{ danger: true }} cancelText={t.common.cancel} onConfirm={() => void setActive(account, false)}>
              <Button size="small" danger aria-label={`${s.deactivate} ${account.name}`}>
                {s.deactivate}
              </Button>
            </Popconfirm>
          ) : (
            <Button size="small" aria-label={`${s.activate} ${account.name}`} onClick={() => void setActive(account, true)}>
              {s.activate}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Card
      title={
        <Space>
          <ApiOutlined style={{ color: 'var(--ant-color-primary)' }} />
          {s.title}
        </Space>
      }
      extra={
        <Space>
          <ExportButtons
            basename="service-accounts"
            labels={{ xlsx: ad.exportXlsx, csv: ad.exportCsv }}
            done={ad.exported}
            download={(format) => exportServiceAccounts({ query: { format }, parseAs: 'blob' })}
          />
          <Button
            type="primary"
            icon={<PlusOutlined />}
            data-testid="account-create"
            onClick={() => {
              setDialog({ kind: 'create' });
            }}
          >
            {s.create}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{s.hint}</Typography.Paragraph>
      <PagedTable paged={paged} columns={columns} rowKey="id" emptyText={s.noAccounts} testId="account-table" info={ad.onPage(items.length)} />
      {dialog?.kind === 'create' ? <ServiceAccountDialog account={null} onClose={() => { setDialog(null); }} onDone={done} onStale={stale} /> : null}
      {dialog?.kind === 'edit' ? <ServiceAccountDialog account={dialog.account} onClose={() => { setDialog(null); }} onDone={done} onStale={stale} /> : null}
      {dialog?.kind === 'tokens' ? <TokensDrawer account={dialog.account} onClose={() => { setDialog(null); }} /> : null}
    </Card>
  );
}
