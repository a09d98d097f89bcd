import { Alert, Button, Card, Descriptions, Empty, List, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router';
import { listPublicPublications, type PublicationView } from '../api';
import { t } from '../i18n';
import { formatDate } from '../lib/format';
import { useLoader } from '../lib/useLoader';
import { stageLabel } from '../members/labels';
import { PublicShell } from '../public/PublicShell';
import { publicErrorMessage, unwrap } from '../public/publicApi';
import { GRADE_COLORS } from '../scoring/grades';
import { PublicFeedbackForm } from './PublicFeedbackForm';

const p = t.publicity;
const pp = p.public;

const money = (value: string) => `¥${value}`;

/** What the item shows besides its title and text: its kind's rendered fields, nothing else. */
function KindContent({ item }: { item: PublicationView }) {
  switch (item.kind) {
    case 'meeting_resolution':
      return item.meeting_on ? <Typography.Paragraph type="secondary">{pp.meetingOn(formatDate(item.meeting_on))}</Typography.Paragraph> : null;
    case 'candidate_notice':
      return item.candidate ? (
        <Descriptions
          size="small"
          column={1}
          bordered
          items={[
            { key: 'name', label: pp.candidateName, children: item.candidate.name },
            { key: 'org', label: pp.candidateOrg, children: item.candidate.org_name },
            { key: 'stage', label: pp.candidateStage, children: stageLabel(item.candidate.stage) },
          ]}
        />
      ) : null;
    case 'evaluation_results':
      return (
        <List
          size="small"
          bordered
          dataSource={item.grades ?? []}
          renderItem={(row) => (
            <List.Item>
              <span>{row.name}</span>
              <Tag color={GRADE_COLORS[row.grade]}>{t.scoring.grades[row.grade]}</Tag>
            </List.Item>
          )}
        />
      );
    case 'dues_report':
      return item.totals ? (
        <Descriptions
          size="small"
          column={1}
          bordered
          items={[
            { key: 'collected', label: p.fields.collected, children: money(item.totals.collected) },
            { key: 'remitted', label: p.fields.remitted, children: money(item.totals.remitted) },
            { key: 'spent', label: p.fields.spent, children: money(item.totals.spent) },
            { key: 'balance', label: p.fields.balance, children: money(item.totals.balance) },
          ]}
        />
      ) : null;
    case 'pledge_results':
      return (
        <List
          size="small"
          bordered
          dataSource={item.pledges ?? []}
          renderItem={(row) => (
            <List.Item>
              <Space orientation="vertical" size={0} style={{ minWidth: 0 }}>
                <Space size={8} wrap>
                  <Typography.Text strong>{row.name}</Typography.Text>
                  <Tag color={row.kept ? 'green' : 'orange'}>{row.kept ? pp.keptYes : pp.keptNo}</Tag>
                </Space>
                <Typography.Text style={{ overflowWrap: 'anywhere' }}>{row.pledge}</Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      );
  }
}

function PublicItem({ item }: { item: PublicationView }) {
  const [feedback, setFeedback] = useState(false);
  const period = item.kind === 'candidate_notice' ? pp.noticePeriod : pp.period;
  return (
    <Card
      data-testid={`publication-${String(item.id)}`}
      title={<span style={{ whiteSpace: 'normal', overflowWrap: 'anywhere' }}>{item.title}</span>}
      size="small"
      style={{ marginBottom: 12 }}
    >
      <Space orientation="vertical" size={8} style={{ width: '100%' }}>
        <Space size={4} wrap>
          <Tag color="red">{p.kinds[item.kind]}</Tag>
          {item.year ? <Tag>{pp.year(item.year)}</Tag> : null}
          <Typography.Text type="secondary">{item.org_name}</Typography.Text>
        </Space>
        <Typography.Text type="secondary">{period(formatDate(item.starts_on), formatDate(item.ends_on))}</Typography.Text>
        {item.body ? <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', marginBottom: 0 }}>{item.body}</Typography.Paragraph> : null}
        <KindContent item={item} />
        {feedback ? (
          <PublicFeedbackForm publicationId={item.id} />
        ) : (
          <Button
            block
            onClick={() => {
              setFeedback(true);
            }}
          >
            {pp.feedback}
          </Button>
        )}
      </Space>
    </Card>
  );
}

/** One page of items; the last page offers the next. */
function Chunk({ orgId, cursor, first }: { orgId: number; cursor: string | undefined; first: boolean }) {
  const [more, setMore] = useState(false);
  const page = useLoader(
    () => unwrap(listPublicPublications({ path: { org_id: orgId }, query: { cursor, limit: 20 }, throwOnError: false })),
    `${String(orgId)}|${cursor ?? ''}`,
  );
  if (page.error) return <Alert type="error" showIcon title={publicErrorMessage(page.error)} role="alert" />;
  if (!page.data) return <Spin style={{ display: 'block', margin: '32px auto' }} />;
  const { items, next_cursor: next } = page.data;
  return (
    <>
      {first && items[0] ? <Typography.Title level={5}>{pp.orgLine(items[0].org_name)}</Typography.Title> : null}
      {first && items.length === 0 ? <Empty description={pp.noItems} /> : null}
      {items.map((item) => (
        <PublicItem key={item.id} item={item} />
      ))}
      {next ? (
        more ? (
          <Chunk orgId={orgId} cursor={next} first={false} />
        ) : (
          <Button
            block
            onClick={() => {
              setMore(true);
            }}
          >
            {pp.loadMore}
          </Button>
        )
      ) : null}
    </>
  );
}

/**
 * 党务公开栏 for the masses, no account needed and made for a phone: what an organisation currently makes
 * public, each item as its kind shows it, with a form to file an objection or a comment.
 */
export function PublicPublicationsPage() {
  const orgId = Number(useParams().orgId);
  return (
    <PublicShell title={pp.title} subtitle={pp.subtitle}>
      {Number.isInteger(orgId) && orgId > 0 ? <Chunk key={orgId} orgId={orgId} cursor={undefined} first /> : <Empty description={pp.noItems} />}
    </PublicShell>
  );
}
