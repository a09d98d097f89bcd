import { CheckCircleFilled, WarningFilled } from '@ant-design/icons';
import { Alert, Descriptions, Drawer, Grid, Result, Skeleton, Space, Statistic, Table, Tag, Typography } from 'antd';
import { getScoringResult, type ResultRead } from '../api';
import { t } from '../i18n';
import { ApiError, errorMessage } from '../lib/apiError';
import { formatDateTime } from '../lib/format';
import { useLoader } from '../lib/useLoader';
import { addsUp, contributionCents, describeLine, formatCents, parseExplanation, type ExplanationLine } from './explanation';
import { gradeColor, gradeLabel, gradeNoteLabel } from './grades';

const s = t.scoring;
const x = s.explanation;

interface Row {
  key: number;
  line: ExplanationLine;
}

function Lines({ result }: { result: ResultRead }) {
  const lines = parseExplanation(result.explanation);
  const total = formatCents(contributionCents(lines));
  const ok = addsUp(lines, result.score);
  return (
    <div data-testid="explanation">
      <Table<Row>
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={lines.map((line, key) => ({ key, line }))}
        locale={{ emptyText: x.noLines }}
        columns={[
          { key: 'kind', title: x.kindColumn, width: 96, render: (_, { line }) => <Tag>{x.kinds[line.kind]}</Tag> },
          {
            key: 'what',
            title: x.itemColumn,
            render: (_, { line }) => {
              const { title, detail } = describeLine(line);
              return (
                <div>
                  <Typography.Text strong>{title}</Typography.Text>
                  {detail ? <div style={{ color: 'rgba(0,0,0,0.55)' }}>{detail}</div> : null}
                </div>
              );
            },
          },
          { key: 'contribution', title: x.contributionColumn, align: 'right', render: (_, { line }) => <span className="mono">{line.contribution}</span> },
        ]}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0} colSpan={2}>
              <Typography.Text strong>{x.total}</Typography.Text>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={1} align="right">
              <Typography.Text strong className="mono" data-testid="explanation-total">
                {total}
              </Typography.Text>
            </Table.Summary.Cell>
          </Table.Summary.Row>
        )}
      />
      <div style={{ marginTop: 12 }} data-testid="explanation-check">
        {ok ? (
          <Space>
            <CheckCircleFilled style={{ color: 'var(--ant-color-success)' }} />
            {x.addsUp(total, result.score)}
          </Space>
        ) : (
          <Space>
            <WarningFilled style={{ color: 'var(--ant-color-warning)' }} />
            {x.doesNotAddUp(total, result.score)}
          </Space>
        )}
      </div>
    </div>
  );
}

/** A member's score, grade, components, rank and the lines that add up to it. */
export function ResultSummary({ result }: { result: ResultRead }) {
  const screens = Grid.useBreakpoint();
  const note = gradeNoteLabel(result.grade_note);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Space size={32} wrap align="end">
        <Statistic title={x.score} value={result.score} data-testid="explanation-score" />
        <div>
          <Tag color={gradeColor(result)} style={{ fontSize: 14, padding: '2px 10px' }}>
            {gradeLabel(result)}
          </Tag>
          {note ? <Typography.Text type="secondary">{note}</Typography.Text> : null}
        </div>
      </Space>
      <Descriptions
        size="small"
        bordered
        column={screens.md ? 2 : 1}
        items={[
          { key: 'points', label: x.points, children: result.points },
          { key: 'pc', label: x.pointsComponent, children: result.points_component },
          { key: 'ec', label: x.evaluationComponent, children: result.evaluation_component ?? x.noEvaluation },
          { key: 'rank', label: x.rank, children: x.ranks(result.rank_in_org, result.rank_in_scheme) },
          { key: 'computed', label: x.computedAt, children: formatDateTime(result.computed_at) },
          { key: 'published', label: x.published, children: result.published ? t.common.yes : t.common.no },
        ]}
      />
      <Lines result={result} />
    </Space>
  );
}

/** A member's score, explained: every rule with its facts and points, every manual item and rater group, adding up to the score. */
export function ExplanationDrawer({ schemeId, memberId, onClose }: { schemeId: number; memberId: number; onClose: () => void }) {
  const screens = Grid.useBreakpoint();
  const loaded = useLoader<ResultRead>(
    () => getScoringResult({ path: { member_id: memberId }, query: { scheme_id: schemeId } }).then(({ data }) => data),
    `${schemeId}|${memberId}`,
  );
  const result = loaded.data;
  let body: React.ReactNode;
  if (loaded.error) {
    body =
      loaded.error instanceof ApiError && loaded.error.status === 404 ? (
        <Result status="404" title={x.noResult} />
      ) : (
        <Alert type="error" showIcon title={errorMessage(loaded.error)} />
      );
  } else if (!result) {
    body = <Skeleton active />;
  } else {
    body = <ResultSummary result={result} />;
  }
  return (
    <Drawer open title={result ? x.title(result.member_name) : x.titleLoading} size={screens.md ? 720 : '100%'} onClose={onClose} destroyOnHidden>
      {body}
    </Drawer>
  );
}
