import { Select } from 'antd';
import { useState } from 'react';
import { listBeneficiaries, listMembers, listUsers, type BeneficiaryRead, type MemberRead, type UserRead } from '../api';
import { t } from '../i18n';
import { useLoader } from '../lib/useLoader';
import { beneficiaryName } from './useNames';

const p = t.pairing;

interface PickerProps {
  id?: string;
  value?: number | null;
  onChange?: (value: number | null) => void;
  /** Within this organisation's subtree (default: the caller's whole scope). */
  orgId?: number | null;
  'aria-label'?: string;
}

/** One member in good standing, searched on the server by name or initials. */
export function MemberSelect({ id, value, onChange, orgId, ...rest }: PickerProps) {
  const [query, setQuery] = useState('');
  const found = useLoader<MemberRead[]>(
    () => listMembers({ query: { org_id: orgId ?? undefined, q: query.trim() || undefined, limit: 20 } }).then(({ data }) => data.items.filter((m) => m.status === 'normal')),
    `${String(orgId)}|${query}`,
  );
  const [picked, setPicked] = useState<{ value: number; label: string } | null>(null);
  const options = (found.data ?? []).map((m) => ({ value: m.id, label: `${m.name}（${m.org_name}）` }));
  if (picked && picked.value === value && !options.some((o) => o.value === value)) options.unshift(picked);
  return (
    <Select<number>
      id={id}
      aria-label={rest['aria-label']}
      value={value ?? undefined}
      placeholder={p.form.searchMember}
      allowClear
      showSearch={{ filterOption: false, onSearch: setQuery }}
      loading={found.loading}
      options={options}
      onChange={(next: number | undefined, option) => {
        const label = option && !Array.isArray(option) ? option.label : undefined;
        setPicked(next !== undefined && typeof label === 'string' ? { value: next, label } : null);
        onChange?.(next ?? null);
      }}
    />
  );
}

const CADRE_ROLES = new Set(['admin', 'org_admin', 'secretary']);

/** A cadre's user account (org_admin or secretary) within the organisation, who may help as a cadre. */
export function CadreSelect({ id, value, onChange, orgId, ...rest }: PickerProps) {
  const users = useLoader<UserRead[]>(
    () => listUsers({ query: { org_id: orgId ?? undefined, limit: 100 } }).then(({ data }) => data.items.filter((u) => u.is_active && CADRE_ROLES.has(u.role))),
    String(orgId),
  );
  return (
    <Select<number>
      id={id}
      aria-label={rest['aria-label']}
      value={value ?? undefined}
      onChange={(next: number | undefined) => onChange?.(next ?? null)}
      loading={users.loading}
      showSearch={{ optionFilterProp: 'label' }}
      options={(users.data ?? []).map((u) => ({ value: u.id, label: `${u.display_name}（${u.username}）` }))}
    />
  );
}

/** A registered beneficiary of the organisation's subtree. */
export function BeneficiarySelect({ id, value, onChange, orgId, reloadKey = 0, ...rest }: PickerProps & { reloadKey?: number }) {
  const found = useLoader<BeneficiaryRead[]>(
    () => listBeneficiaries({ query: { org_id: orgId ?? undefined, limit: 100 } }).then(({ data }) => data.items),
    `${String(orgId)}|${String(reloadKey)}`,
  );
  return (
    <Select<number>
      id={id}
      aria-label={rest['aria-label']}
      value={value ?? undefined}
      onChange={(next: number | undefined) => onChange?.(next ?? null)}
      loading={found.loading}
      showSearch={{ optionFilterProp: 'label' }}
      notFoundContent={p.noBeneficiaries}
      options={(found.data ?? []).map((b) => ({ value: b.id, label: `${beneficiaryName(b)}（${p.beneficiaryKinds[b.kind]}）` }))}
    />
  );
}
