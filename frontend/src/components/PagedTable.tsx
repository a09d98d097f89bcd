import { Alert, Table, type TableProps } from 'antd';
import { errorMessage } from '../lib/apiError';
import type { usePaged } from '../lib/usePaged';
import { Pager } from './Pager';

interface Props<T> {
  paged: ReturnType<typeof usePaged<T>>;
  columns: TableProps<T>['columns'];
  rowKey: keyof T & string;
  emptyText: string;
  testId: string;
  rowClassName?: (row: T) => string;
  /** Beside the page number, e.g. how many rows this page holds. */
  info?: React.ReactNode;
}

/** The list's error, its table (server-paged: no client paging) and the pager under it. */
export function PagedTable<T extends object>({ paged, columns, rowKey, emptyText, testId, rowClassName, info }: Props<T>) {
  const { page, keyset, pageSize, setPageSize, items } = paged;
  return (
    <>
      {page.error ? <Alert type="error" showIcon title={errorMessage(page.error)} style={{ marginBottom: 16 }} role="alert" /> : null}
      <div data-testid={testId}>
        <Table<T>
          rowKey={rowKey}
          size="middle"
          columns={columns}
          dataSource={items}
          loading={page.loading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          rowClassName={rowClassName}
          locale={{ emptyText }}
        />
      </div>
      <Pager keyset={keyset} nextCursor={page.data?.next_cursor} loading={page.loading} pageSize={pageSize} onPageSize={setPageSize} info={info} />
    </>
  );
}
