import { Form, Input, Select } from 'antd';
import { createServiceAccount, updateServiceAccount, type Permission, type ServiceAccountRead } from '../api';
import { useAuth } from '../auth/authContext';
import { FormDialog } from '../components/FormDialog';
import { OrgPicker } from '../components/OrgPicker';
import { t } from '../i18n';
import { etagOf } from '../scoring/labels';
import { ACCOUNT_CODE_FIELDS, toAccountCreate, toAccountUpdate, type AccountValues } from './accountForm';
import { grantableScopes } from './roles';

const ad = t.admin;
const s = ad.serviceAccounts;
const required = [{ required: true, message: s.required }];
const ALL_PERMISSIONS = Object.keys(ad.permissions) as Permission[];

interface Props {
  /** null: a new account. */
  account: ServiceAccountRead | null;
  onClose: () => void;
  onDone: () => void;
  onStale: () => void;
}

/** Creates a service account (name, organisation, scopes) or edits its description and scopes under its ETag. */
export function ServiceAccountDialog({ account, onClose, onDone, onStale }: Props) {
  const { user } = useAuth();
  const scopes = grantableScopes(ALL_PERMISSIONS, user?.permissions ?? []);
  return (
    <FormDialog<AccountValues>
      title={account ? s.editTitle(account.name) : s.createTitle}
      initialValues={account ? { name: account.name, description: account.description, org_id: account.org_id, scopes: account.scopes } : { org_id: user?.org_id ?? null, scopes: [] }}
      submit={(values) =>
        account
          ? updateServiceAccount({ path: { account_id: account.id }, headers: { 'if-match': etagOf(account.version) }, body: toAccountUpdate(account, values) })
          : createServiceAccount({ body: toAccountCreate(values) })
      }
      successMessage={account ? ad.saved : ad.created}
      onClose={onClose}
      onDone={onDone}
      onStale={onStale}
      codeFields={ACCOUNT_CODE_FIELDS}
    >
      <Form.Item name="name" label={s.name} rules={[...required, { max: 100 }]}>
        <Input disabled={account !== null} data-testid="account-name" />
      </Form.Item>
      <Form.Item name="description" label={s.description} rules={[{ max: 500 }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
      {account ? null : (
        <Form.Item name="org_id" label={ad.org} rules={required}>
          <OrgPicker aria-label={ad.org} allowClear={false} />
        </Form.Item>
      )}
      <Form.Item name="scopes" label={s.scopes} extra={s.scopesHint} rules={required}>
        <Select<Permission[]>
          mode="multiple"
          data-testid="account-scopes"
          aria-label={s.scopes}
          options={scopes.map((scope) => ({ value: scope, label: `${ad.permissions[scope]}（${scope}）` }))}
          showSearch={{ optionFilterProp: 'label' }}
        />
      </Form.Item>
    </FormDialog>
  );
}
