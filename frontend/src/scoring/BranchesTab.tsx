import { Alert, Rate, Table, Typography, type TableProps } from 'antd';
import { useState } from 'react';
import { listScoringBranchStars, type BranchStarRead, type SchemeRead } from '../api';
import { Pager } from '../components/Pager';
import { t } from '../i18n';
import { errorMessage } from '../lib/apiError';
import { useKeyset } from '../lib/useKeyset';
import { useLoader } from '../lib/useLoader';

const bs = t.scoring.branches;

/** 星级 of each branch (1–5), from its members' average score, less a star for complaints overdue. */
export function BranchesTab({ scheme }: { scheme: SchemeRead }) {
  const [pageSize, setPageSize] = useState(20);
  const queryKey = `${scheme.id}|${scheme.computed_at ?? ''}|${pageSize}`;
  const keyset = useKeyset(queryKey);
  const page = useLoader<{ items: BranchStarRead[]; next_cursor: string | null }>(
    () =>
      listScoringBranchStars({ path: { scheme_id: scheme.id }, query: { cursor: keyset.cursor, limit: pageSize } }).then(({ data }) => ({
        items: data.items,
        next_cursor: data.next_cursor ?? null,
      })),
    `${queryKey}|${keyset.cursor ?? ''}`,
  );

  const columns: TableProps<BranchStarRead>['columns'] = [
    { key: 'org', title: bs.org, render: (_, row) => row.org_name },
    {
      key: 'stars',
      title: bs.stars,
      render: (_, row) => <Rate disabled count={5} value={row.stars} aria-label={bs.starsOf(row.stars)} style={{ fontSize: 16 }} />,
    },
    { key: 'average', title: bs.average, render: (_, row) => <span className="mono">{row.average_score}</span> },
    { key: 'members', title: bs.members, render: (_, row) => row.members },
    { key: 'graded', title: bs.graded, render: (_, row) => row.graded },
    { key: 'excellent', title: bs.excellent, render: (_, row) => row.excellent },
    { key: 'unqualified', title: bs.unqualified, render: (_, row) => row.unqualified },
    { key: 'overdue', title: bs.overdue, render: (_, row) => row.complaints_overdue },
    { key: 'why', title: bs.why, render: (_, row) => <Typography.Text type="secondary">{row.explanation}</Typography.Text> },
  ];

  return (
    <div>
      <Typography.Paragraph type="secondary">{bs.hint}</Typography.Paragraph>
      {page.error ? <Alert type="error" showIcon title={errorMessage(page.error)} style={{ marginBottom: 12 }} /> : null}
      <div data-testid="branch-table">
        <Table<BranchStarRead>
          rowKey="org_id"
          size="middle"
          columns={columns}
          dataSource={page.data?.items ?? []}
          loading={page.loading}
          pagination={false}
          locale={{ emptyText: bs.none }}
          scroll={{ x: 'max-content' }}
        />
      </div>
      <Pager keyset={keyset} nextCursor={page.data?.next_cursor} loading={page.loading} pageSize={pageSize} onPageSize={setPageSize} />
    </div>
  );
}
