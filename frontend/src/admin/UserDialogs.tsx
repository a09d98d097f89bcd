import { Form, Input, Select, Switch } from 'antd';
import { changePassword, createUser, updateUser, type Role, type UserRead } from '../api';
import { useAuth } from '../auth/authContext';
import { FormDialog } from '../components/FormDialog';
import { MemberPicker } from '../components/MemberPicker';
import { OrgPicker } from '../components/OrgPicker';
import { t } from '../i18n';
import { etagOf } from '../scoring/labels';
import { defaultRole, grantableRoles, mayCreateGlobal } from './roles';
import { editValues, toCreateBody, toUpdateBody, USER_CODE_FIELDS, type UserValues } from './userForm';

const ad = t.admin;
const u = ad.users;
const required = [{ required: true, message: u.required }];

/** The member link: a search among the chosen organisation's members, once there is one. */
function MemberField() {
  const orgId = Form.useWatch<number | null | undefined>('org_id');
  return (
    <Form.Item name="member_id" label={u.member} extra={orgId ? undefined : u.chooseOrgFirst}>
      {orgId ? <MemberPicker orgId={orgId} maxCount={1} placeholder={u.memberPlaceholder} /> : <Select disabled placeholder={u.memberPlaceholder} />}
    </Form.Item>
  );
}

interface UserDialogProps {
  /** null: a new user. */
  user: UserRead | null;
  /** Where a new user goes unless changed: the organisation the list shows, else the caller's own. */
  orgId?: number | null;
  onClose: () => void;
  onDone: () => void;
  /** The user changed since the list was read (412): close and reload. */
  onStale: () => void;
}

/** Creates a user or edits one (role, organisation, member link, active) under its ETag. */
export function UserDialog({ user, orgId, onClose, onDone, onStale }: UserDialogProps) {
  const { user: me } = useAuth();
  const grantable = grantableRoles(me?.role);
  // Editing shows the current role even when the caller could not grant it (the API then refuses changes).
  const roles: Role[] = user && !grantable.includes(user.role) ? [user.role, ...grantable] : [...grantable];
  const global = mayCreateGlobal(me?.role, me?.org_id);
  const submit = (values: UserValues) =>
    user
      ? updateUser({ path: { user_id: user.id }, headers: { 'if-match': etagOf(user.version) }, body: toUpdateBody(user, values) })
      : createUser({ body: toCreateBody(values) });

  return (
    <FormDialog<UserValues>
      title={user ? u.editTitle(user.display_name) : u.createTitle}
      initialValues={user ? editValues(user) : { role: defaultRole(grantable), org_id: orgId ?? me?.org_id ?? null, member_id: [] }}
      submit={submit}
      successMessage={user ? ad.saved : ad.created}
      onClose={onClose}
      onDone={onDone}
      onStale={onStale}
      codeFields={USER_CODE_FIELDS}
    >
      <Form.Item name="username" label={u.username} rules={[...required, { pattern: /^[A-Za-z0-9._@-]{3,64}$/, message: u.usernameRule }]}>
        <Input disabled={user !== null} autoComplete="off" data-testid="user-username" />
      </Form.Item>
      <Form.Item name="display_name" label={u.displayName} rules={[...required, { max: 100 }]}>
        <Input data-testid="user-display-name" />
      </Form.Item>
      {user ? null : (
        <Form.Item name="password" label={u.password} extra={u.passwordHint} rules={[...required, { min: 8, max: 128, message: u.passwordHint }]}>
          <Input.Password autoComplete="new-password" data-testid="user-password" />
        </Form.Item>
      )}
      <Form.Item name="role" label={u.role} rules={required}>
        <Select data-testid="user-role" options={roles.map((role) => ({ value: role, label: t.header.roles[role], disabled: !grantable.includes(role) }))} />
      </Form.Item>
      <Form.Item name="org_id" label={ad.org} rules={global ? [] : required} extra={global ? u.globalOrg : undefined}>
        <OrgPicker aria-label={ad.org} allowClear={global} />
      </Form.Item>
      <MemberField />
      {user ? (
        <Form.Item name="is_active" label={u.status} valuePropName="checked">
          <Switch checkedChildren={ad.active} unCheckedChildren={ad.inactive} />
        </Form.Item>
      ) : null}
    </FormDialog>
  );
}

interface PasswordValues {
  current_password?: string;
  new_password: string;
  confirm: string;
}

/** Sets a user's password (signing them out everywhere); one's own needs the current password too. */
export function PasswordDialog({ user, onClose, onDone }: { user: UserRead; onClose: () => void; onDone: () => void }) {
  const { user: me } = useAuth();
  const own = me?.kind === 'user' && me.id === user.id;
  return (
    <FormDialog<PasswordValues>
      title={u.resetTitle(user.display_name)}
      submit={(values) => changePassword({ path: { user_id: user.id }, body: { new_password: values.new_password, current_password: own ? values.current_password : undefined } })}
      successMessage={u.passwordReset}
      onClose={onClose}
      onDone={onDone}
      codeFields={{ current_password_incorrect: 'current_password' }}
    >
      {own ? (
        <Form.Item name="current_password" label={t.login.password} rules={required}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
      ) : null}
      <Form.Item name="new_password" label={u.newPassword} extra={u.passwordHint} rules={[...required, { min: 8, max: 128, message: u.passwordHint }]}>
        <Input.Password autoComplete="new-password" data-testid="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={u.confirmPassword}
        dependencies={['new_password']}
        rules={[
          ...required,
          ({ getFieldValue }) => ({
            validator: (_, value) => (value === getFieldValue('new_password') ? Promise.resolve() : Promise.reject(new Error(u.passwordMismatch))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="confirm-password" />
      </Form.Item>
    </FormDialog>
  );
}
