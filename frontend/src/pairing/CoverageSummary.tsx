import { Alert, Card, Col, Row, Statistic, Typography } from 'antd';
import { getCoverage, type CoverageRead } from '../api';
import { t } from '../i18n';
import { errorMessage } from '../lib/apiError';
import { useLoader } from '../lib/useLoader';
import { percent, quarterOf, yuan } from './pairingQuery';

const c = t.pairing.coverage;

/** The 台账 figures of an organisation's subtree for the current quarter, as a strip of numbers. */
export function CoverageSummary({ orgId }: { orgId: number }) {
  const coverage = useLoader<CoverageRead>(() => getCoverage({ query: { org_id: orgId } }).then(({ data }) => data), String(orgId));
  if (coverage.error) return <Alert type="warning" showIcon title={errorMessage(coverage.error)} style={{ marginBottom: 16 }} />;
  const data = coverage.data;
  const period = data ? quarterOf(data) : null;
  return (
    <Card size="small" loading={coverage.loading} style={{ marginBottom: 16 }} data-testid="pairing-coverage">
      {data && period ? (
        <>
          <Typography.Text type="secondary">{c.title(`${String(period.year)} Q${String(period.quarter)}`)}</Typography.Text>
          <Row gutter={[24, 12]} style={{ marginTop: 8 }}>
            <Col xs={12} md={8} xl={4}>
              <Statistic title={c.hardship} value={percent(data.hardship_member_share)} suffix={<small>{`${String(data.hardship_members_paired)}/${String(data.hardship_members)}`}</small>} />
            </Col>
            <Col xs={12} md={8} xl={4}>
              <Statistic title={c.households} value={percent(data.household_share)} suffix={<small>{`${String(data.households_paired)}/${String(data.households)}`}</small>} />
            </Col>
            <Col xs={12} md={8} xl={4}>
              <Statistic title={c.activePairs} value={data.active_pairs} />
            </Col>
            <Col xs={12} md={8} xl={4}>
              <Statistic title={c.visits} value={data.visits} suffix={<small>{c.perPair(Number(data.visits_per_pair).toFixed(1))}</small>} />
            </Col>
            <Col xs={12} md={8} xl={4}>
              <Statistic title={c.overdueTasks} value={data.overdue_tasks} styles={{ content: data.overdue_tasks > 0 ? { color: 'var(--ant-color-error)' } : undefined }} />
            </Col>
            <Col xs={12} md={8} xl={4}>
              <Statistic title={c.help} value={`${yuan(data.money_given)} / ${yuan(data.goods_value)}`} styles={{ content: { fontSize: 18 } }} />
              <Typography.Text type="secondary">{c.jobs(data.jobs_found)}</Typography.Text>
            </Col>
          </Row>
        </>
      ) : null}
    </Card>
  );
}
