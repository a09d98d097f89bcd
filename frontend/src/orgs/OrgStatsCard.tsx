import { Alert, Card, Col, Row, Skeleton, Space, Statistic, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { getOrgStats, type OrgStats } from '../api';
import { t } from '../i18n';
import { errorMessage } from '../lib/apiError';
import { ORG_KINDS, orgKindColor, orgKindLabel } from './kinds';

type Loaded = { orgId: number; stats: OrgStats } | { orgId: number; error: unknown };

/** Totals over an organisation's whole subtree, loaded from the server. */
export function OrgStatsCard({ orgId }: { orgId: number }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);

  useEffect(() => {
    let current = true;
    getOrgStats({ path: { org_id: orgId } }).then(
      ({ data }) => {
        if (current) setLoaded({ orgId, stats: data });
      },
      (error: unknown) => {
        if (current) setLoaded({ orgId, error });
      },
    );
    return () => {
      current = false;
    };
  }, [orgId]);

  return (
    <Card title={t.org.stats.title}>
      {loaded?.orgId !== orgId ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : 'error' in loaded ? (
        <Alert type="error" showIcon title={errorMessage(loaded.error)} />
      ) : (
        <StatsBody stats={loaded.stats} />
      )}
    </Card>
  );
}

function StatsBody({ stats }: { stats: OrgStats }) {
  const kinds = ORG_KINDS.filter((kind) => (stats.orgs_by_kind[kind] ?? 0) > 0);
  return (
    <Row gutter={[24, 16]}>
      <Col xs={12} md={8}>
        <Statistic title={t.org.stats.orgCount} value={stats.org_count} />
      </Col>
      <Col xs={12} md={8}>
        <Statistic title={t.org.stats.memberCount} value={stats.member_count} />
      </Col>
      <Col span={24}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t.org.stats.byKind}
        </Typography.Paragraph>
        <Space size={[8, 8]} wrap>
          {kinds.map((kind) => (
            <Tag key={kind} color={orgKindColor(kind)} variant="outlined" style={{ fontSize: 14, padding: '2px 10px' }}>
              {orgKindLabel(kind)} {stats.orgs_by_kind[kind]}
            </Tag>
          ))}
        </Space>
      </Col>
    </Row>
  );
}
