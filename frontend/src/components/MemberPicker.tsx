import { Select } from 'antd';
import { useState } from 'react';
import { listMembers, type MemberRead } from '../api';
import { useLoader } from '../lib/useLoader';

interface Props {
  id?: string;
  value?: number[];
  onChange?: (value: number[]) => void;
  /** Search within this organisation's full members. */
  orgId: number;
  /** Never offered (the member being developed cannot vouch for themselves). */
  excludeId?: number;
  maxCount: number;
  placeholder: string;
}

/** Picks up to `maxCount` full members of an organisation, searched on the server by name or initials. */
export function MemberPicker({ id, value, onChange, orgId, excludeId, maxCount, placeholder }: Props) {
  const [query, setQuery] = useState('');
  const found = useLoader<MemberRead[]>(
    () =>
      listMembers({ query: { org_id: orgId, stage: 'full', q: query.trim() || undefined, limit: 20 } }).then(
        ({ data }) => data.items,
      ),
    `${orgId}|${query}`,
  );
  // Keep the names of members already picked while the search shows others.
  const [picked, setPicked] = useState<Record<number, string>>({});
  const options = [
    ...Object.entries(picked)
      .filter(([memberId]) => value?.includes(Number(memberId)))
      .map(([memberId, name]) => ({ value: Number(memberId), label: name })),
    ...(found.data ?? [])
      .filter((member) => member.id !== excludeId && !value?.includes(member.id))
      .map((member) => ({ value: member.id, label: `${member.name}（${member.org_name}）` })),
  ];

  return (
    <Select<number[]>
      id={id}
      mode="multiple"
      maxCount={maxCount}
      value={value}
      placeholder={placeholder}
      showSearch={{ filterOption: false, onSearch: setQuery }}
      loading={found.loading}
      options={options}
      onChange={(next, chosen) => {
        const labels = Array.isArray(chosen) ? chosen : [];
        setPicked((known) => {
          const updated = { ...known };
          next.forEach((memberId, i) => {
            const label = labels[i]?.label;
            if (typeof label === 'string') updated[memberId] = label;
          });
          return updated;
        });
        onChange?.(next);
      }}
    />
  );
}
