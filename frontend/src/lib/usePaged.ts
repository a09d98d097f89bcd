import { useState } from 'react';
import { useKeyset } from './useKeyset';
import { useLoader } from './useLoader';

export interface KeysetPage<T> {
  items: T[];
  next_cursor?: string | null;
}

/**
 * One keyset page of a list at a time: `load(limit, cursor)` asks the server; `key` names the query, so
 * a new filter starts again from the first page (as does a new page size).
 */
export function usePaged<T>(load: (limit: number, cursor: string | undefined) => Promise<KeysetPage<T>>, key: string) {
  const [pageSize, setPageSize] = useState(20);
  const keyset = useKeyset(`${key}|${String(pageSize)}`);
  const page = useLoader<KeysetPage<T>>(() => load(pageSize, keyset.cursor), `${key}|${String(pageSize)}|${keyset.cursor ?? ''}`);
  return { page, keyset, pageSize, setPageSize, items: page.data?.items ?? [] };
}
