import { useEffect, useState } from 'react';
import { getMember } from '../api';

/** Names of the given members, fetched once each (items and cases carry only a member id). */
export function useMemberNames(ids: number[]): Record<number, string> {
  const [names, setNames] = useState<Record<number, string>>({});
  const missing = [...new Set(ids)].filter((id) => !(id in names)).sort((a, b) => a - b);
  const missingKey = missing.join(',');

  useEffect(() => {
    if (!missingKey) return;
    let current = true;
    const wanted = missingKey.split(',').map(Number);
    void Promise.allSettled(wanted.map((id) => getMember({ path: { member_id: id } }))).then((results) => {
      if (!current) return;
      const found: Record<number, string> = {};
      results.forEach((result, i) => {
        const id = wanted[i];
        if (id !== undefined) found[id] = result.status === 'fulfilled' ? result.value.data.name : `#${id}`;
      });
      setNames((known) => ({ ...known, ...found }));
    });
    return () => {
      current = false;
    };
  }, [missingKey]);

  return names;
}
