import { PlusOutlined, TeamOutlined } from '@ant-design/icons';
import { App, Button, Card, Input, Select, Space, Tag, Typography, type TableProps } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { exportUsers, listUsers, type Role, type UserRead } from '../api';
import { useCan } from '../auth/permissions';
import { ExportButtons } from '../components/ExportButtons';
import { OrgPicker } from '../components/OrgPicker';
import { PagedTable } from '../components/PagedTable';
import { useMemberNames, useOrgNames } from '../components/useNames';
import { t } from '../i18n';
import { formatDateTime } from '../lib/format';
import { usePaged } from '../lib/usePaged';
import { trimmed } from './auditQuery';
import { ROLES } from './roles';
import { PasswordDialog, UserDialog } from './UserDialogs';
import { userFiltersFromParams, userFiltersToParams, usersQuery, type UserFilters } from './userForm';

const ad = t.admin;
const u = ad.users;
const empty = t.common.empty;

type Dialog = { kind: 'create' } | { kind: 'edit'; user: UserRead } | { kind: 'password'; user: UserRead } | null;

/** 用户管理: the accounts of the caller's subtree; writers create, edit (under ETag) and reset passwords. */
export function UsersPage() {
  const { message } = App.useApp();
  const canWrite = useCan('users:write');
  const [params, setParams] = useSearchParams();
  const filters = userFiltersFromParams(params);
  const query = usersQuery(filters);
  const [reloadKey, setReloadKey] = useState(0);
  const paged = usePaged(
    (limit, cursor) => listUsers({ query: { ...query, limit, cursor } }).then(({ data }) => data),
    `${JSON.stringify(query)}|${String(reloadKey)}`,
  );
  const { items } = paged;
  const orgNames = useOrgNames(items.map((user) => user.org_id));
  const memberNames = useMemberNames(items.map((user) => user.member_id));
  const [dialog, setDialog] = useState<Dialog>(null);
  const [search, setSearch] = useState(filters.q ?? '');

  const apply = (next: Partial<UserFilters>) => {
    setParams(userFiltersToParams({ ...filters, ...next }));
  };
  const close = () => {
    setDialog(null);
  };
  const done = () => {
    setDialog(null);
    setReloadKey((n) => n + 1);
  };
  const stale = () => {
    void message.warning(ad.stale);
    done();
  };

  const columns: TableProps<UserRead>['columns'] = [
    { key: 'username', title: u.username, render: (_, user) => <span className="mono">{user.username}</span> },
    { key: 'name', title: u.displayName, render: (_, user) => user.display_name },
    { key: 'role', title: u.role, render: (_, user) => t.header.roles[user.role] },
    { key: 'org', title: ad.org, render: (_, user) => (user.org_id === null ? u.globalOrg : (orgNames[user.org_id] ?? `#${String(user.org_id)}`)) },
    {
      key: 'member',
      title: u.member,
      render: (_, user) => (user.member_id === null ? empty : <Link to={`/members/${String(user.member_id)}`}>{memberNames[user.member_id] ?? `#${String(user.member_id)}`}</Link>),
    },
    { key: 'status', title: u.status, render: (_, user) => (user.is_active ? <Tag color="green">{ad.active}</Tag> : <Tag>{ad.inactive}</Tag>) },
    { key: 'created', title: u.createdAt, render: (_, user) => formatDateTime(user.created_at) },
    ...(canWrite
      ? [
          {
            key: 'actions',
            title: t.common.actions,
            fixed: 'right' as const,
            render: (_: unknown, user: UserRead) => (
              <Space size={4}>
                <Button
                  size="small"
                  aria-label={`${u.edit} ${user.username}`}
                  onClick={() => {
                    setDialog({ kind: 'edit', user });
                  }}
                >
                  {u.edit}
                </Button>
                <Button
                  size="small"
                  aria-label={`${u.resetPassword} ${user.username}`}
                  onClick={() => {
                    setDialog({ kind: 'password', user });
                  }}
                >
                  {u.resetPassword}
                </Button>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card
      title={
        <Space>
          <TeamOutlined style={{ color: 'var(--ant-color-primary)' }} />
          {u.title}
        </Space>
      }
      extra={
        <Space>
          <ExportButtons
            basename="users"
            labels={{ xlsx: ad.exportXlsx, csv: ad.exportCsv }}
            done={ad.exported}
            download={(format) => exportUsers({ query: { ...query, format }, parseAs: 'blob' })}
          />
          {canWrite ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              data-testid="user-create"
              onClick={() => {
                setDialog({ kind: 'create' });
              }}
            >
              {u.create}
            </Button>
          ) : null}
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{u.hint}</Typography.Paragraph>
      <Space wrap size={12} style={{ marginBottom: 16 }}>
        <Input.Search
          aria-label={u.search}
          placeholder={u.search}
          allowClear
          value={search}
          onChange={(event) => {
            setSearch(event.target.value);
          }}
          onSearch={(value) => {
            apply({ q: trimmed(value) });
          }}
          style={{ width: 220 }}
        />
        <OrgPicker
          aria-label={ad.org}
          value={filters.org ?? null}
          onChange={(next) => {
            apply({ org: next ?? undefined });
          }}
        />
        <Select<Role>
          aria-label={u.role}
          placeholder={u.role}
          allowClear
          value={filters.role}
          onChange={(role: Role | undefined) => {
            apply({ role });
          }}
          options={ROLES.map((role) => ({ value: role, label: t.header.roles[role] }))}
          style={{ width: 150 }}
        />
        <Select<'active' | 'inactive'>
          aria-label={u.status}
          placeholder={u.status}
          allowClear
          value={filters.active === undefined ? undefined : filters.active ? 'active' : 'inactive'}
          onChange={(status: 'active' | 'inactive' | undefined) => {
            apply({ active: status === undefined ? undefined : status === 'active' });
          }}
          options={[
            { value: 'active', label: ad.active },
            { value: 'inactive', label: ad.inactive },
          ]}
          style={{ width: 120 }}
        />
      </Space>
      <PagedTable paged={paged} columns={columns} rowKey="id" emptyText={u.noUsers} testId="user-table" info={ad.onPage(items.length)} />
      {dialog?.kind === 'create' ? <UserDialog user={null} orgId={filters.org} onClose={close} onDone={done} onStale={stale} /> : null}
      {dialog?.kind === 'edit' ? <UserDialog user={dialog.user} onClose={close} onDone={done} onStale={stale} /> : null}
      {dialog?.kind === 'password' ? <PasswordDialog user={dialog.user} onClose={close} onDone={close} /> : null}
    </Card>
  );
}
