import { Select } from 'antd';
import { useState } from 'react';
import { listMembers, type MemberRead } from '../api';
import { t } from '../i18n';
import { useLoader } from '../lib/useLoader';

interface Props {
  id?: string;
  value?: number | null;
  onChange?: (value: number | null) => void;
  /** Within this organisation's subtree. */
  orgId: number | null;
  /** Names already known for member ids (a saved draft's, from what its audience sees). */
  known: Readonly<Record<number, string>>;
  'aria-label'?: string;
}

/** One member of the organisation, searched on the server by name or initials; a saved member shows by name. */
export function MemberSelect({ id, value, onChange, orgId, known, ...rest }: Props) {
  const [query, setQuery] = useState('');
  const found = useLoader<MemberRead[]>(
    () => listMembers({ query: { org_id: orgId ?? undefined, q: query.trim() || undefined, limit: 20 } }).then(({ data }) => data.items.filter((m) => m.status === 'normal')),
    `${String(orgId)}|${query}`,
  );
  const [picked, setPicked] = useState<Record<number, string>>({});
  const options = (found.data ?? []).map((m) => ({ value: m.id, label: `${m.name}（${m.org_name}）` }));
  const label = typeof value === 'number' ? (picked[value] ?? known[value]) : undefined;
  if (typeof value === 'number' && label && !options.some((o) => o.value === value)) options.unshift({ value, label });
  return (
    <Select<number>
      id={id}
      aria-label={rest['aria-label']}
      value={value ?? undefined}
      placeholder={t.pairing.form.searchMember}
      allowClear
      showSearch={{ filterOption: false, onSearch: setQuery }}
      loading={found.loading}
      options={options}
      onChange={(next: number | undefined, option) => {
        const chosen = option && !Array.isArray(option) ? option.label : undefined;
        if (next !== undefined && typeof chosen === 'string') setPicked((known) => ({ ...known, [next]: chosen }));
        onChange?.(next ?? null);
      }}
    />
  );
}
