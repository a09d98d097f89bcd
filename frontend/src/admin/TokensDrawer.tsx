import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, DatePicker, Drawer, Form, Grid, Input, Popconfirm, Table, Tag, type TableProps } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { issueServiceToken, listServiceTokens, revokeServiceToken, type ApiTokenRead, type ServiceAccountRead } from '../api';
import { FormDialog } from '../components/FormDialog';
import { ShownOnceModal } from '../components/ShownOnceModal';
import { t } from '../i18n';
import { errorMessage } from '../lib/apiError';
import { formatDateTime } from '../lib/format';
import { useLoader } from '../lib/useLoader';
import { tokenState, type TokenState } from './accountForm';

const s = t.admin.serviceAccounts;
const STATE_COLORS: Record<TokenState, string> = { valid: 'green', expired: 'orange', revoked: 'default' };

interface IssueValues {
  name: string;
  expires_at?: Dayjs | null;
}

/**
 * A service account's tokens: issue one (its secret shown once, then gone: it lives only in this
 * component's state until the modal closes) and revoke others after a confirmation.
 */
export function TokensDrawer({ account, onClose }: { account: ServiceAccountRead; onClose: () => void }) {
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const tokens = useLoader(() => listServiceTokens({ path: { account_id: account.id } }).then(({ data }) => data), String(account.id));
  const [issuing, setIssuing] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [now] = useState(() => new Date());

  const revoke = async (token: ApiTokenRead) => {
    try {
      await revokeServiceToken({ path: { account_id: account.id, token_id: token.id } });
      void message.success(s.revokedDone);
    } catch (error) {
      void message.error(errorMessage(error));
    }
    tokens.reload();
  };

  const columns: TableProps<ApiTokenRead>['columns'] = [
    { key: 'name', title: s.tokenName, render: (_, token) => token.name },
    { key: 'prefix', title: s.prefix, render: (_, token) => <span className="mono">{token.display_prefix}…</span> },
    { key: 'expires', title: s.expiresAt, render: (_, token) => (token.expires_at ? formatDateTime(token.expires_at) : s.never) },
    { key: 'used', title: s.lastUsed, render: (_, token) => (token.last_used_at ? formatDateTime(token.last_used_at) : s.neverUsed) },
    {
      key: 'state',
      title: s.tokenStatus,
      render: (_, token) => {
        const state = tokenState(token, now);
        return <Tag color={STATE_COLORS[state]}>{s[state]}</Tag>;
      },
    },
    {
      key: 'actions',
      title: t.common.actions,
      render: (_, token) =>
        token.revoked_at ? null : (
          <Popconfirm title={s.revokeConfirm(token.name)} okText={s.revoke} okButtonProps={{ danger: true }} cancelText={t.common.cancel} onConfirm={() => void revoke(token)}>
            <Button size="small" danger aria-label={`${s.revoke} ${token.name}`}>
              {s.revoke}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <Drawer
      open
      title={s.tokensTitle(account.name)}
      size={screens.md ? 760 : '100%'}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          disabled={!account.is_active}
          data-testid="token-issue"
          onClick={() => {
            setIssuing(true);
          }}
        >
          {s.issue}
        </Button>
      }
    >
      {tokens.error ? <Alert type="error" showIcon title={errorMessage(tokens.error)} style={{ marginBottom: 16 }} role="alert" /> : null}
      <div data-testid="token-table">
        <Table<ApiTokenRead> rowKey="id" size="small" columns={columns} dataSource={tokens.data ?? []} loading={tokens.loading} pagination={false} scroll={{ x: 'max-content' }} locale={{ emptyText: s.noTokens }} />
      </div>
      {issuing ? (
        <FormDialog<IssueValues>
          title={s.issueTitle}
          okText={s.issue}
          successMessage={s.issued}
          submit={async (values) => {
            const { data } = await issueServiceToken({
              path: { account_id: account.id },
              body: { name: values.name.trim(), expires_at: values.expires_at ? values.expires_at.toISOString() : null },
            });
            setSecret(data.token);
          }}
          onClose={() => {
            setIssuing(false);
          }}
          onDone={() => {
            setIssuing(false);
            tokens.reload();
          }}
          codeFields={{ expiry_in_past: 'expires_at' }}
        >
          <Form.Item name="name" label={s.tokenName} rules={[{ required: true, message: s.required }, { max: 100 }]}>
            <Input data-testid="token-name" />
          </Form.Item>
          <Form.Item name="expires_at" label={s.expiresAt} extra={s.expiresHint}>
            <DatePicker showTime style={{ width: '100%' }} />
          </Form.Item>
        </FormDialog>
      ) : null}
      {secret ? (
        <ShownOnceModal
          title={s.tokenShownTitle}
          secret={secret}
          warning={s.tokenShownWarning}
          doneText={s.tokenShownDone}
          onClose={() => {
            setSecret(null);
          }}
        />
      ) : null}
    </Drawer>
  );
}
