import { Alert, Card, Col, Empty, Row, Select, Space, Statistic, Typography } from 'antd';
import { useMemo, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import {
  complaintTrend,
  getCompliance,
  getMemberStats,
  getScoringDistribution,
  listScoringSchemes,
  type ComplaintTrend,
  type ComplianceReport,
  type MemberStats,
  type ScoreDistribution,
} from '../api';
import { useCan } from '../auth/permissions';
import { Chart } from '../components/Chart';
import { OrgPicker } from '../components/OrgPicker';
import { t } from '../i18n';
import { errorMessage } from '../lib/apiError';
import { useLoader, type Loader } from '../lib/useLoader';
import { barSpec, funnelSpec, gradeSpec, histogramSpec, latestScheme, trendSpec, type ChartSpec } from './chartSpecs';

const h = t.home;
const COUNTS: [string, string] = [h.bucket, h.count];
/** The stages still being developed: full members, the pipeline's outcome, would dwarf them (they are in the total). */
const inPipeline = (byStage: MemberStats['by_stage']) => Object.fromEntries(Object.entries(byStage).filter(([stage]) => stage !== 'full'));
const percent = (rate: number | null | undefined) => (rate == null ? t.common.empty : `${Math.round(rate * 1000) / 10}%`);

function LoadError({ loader }: { loader: Loader<unknown> }) {
  return loader.error ? <Alert type="error" showIcon title={errorMessage(loader.error)} /> : null;
}

function ChartCard({ title, spec, testId, extra, children }: { title: string; spec: ChartSpec | null; testId: string; extra?: ReactNode; children?: ReactNode }) {
  return (
    <Card title={title} size="small" extra={extra} style={{ height: '100%' }}>
      {children}
      {spec ? <Chart option={spec.option} table={spec.table} label={title} data-testid={testId} /> : null}
    </Card>
  );
}

function MemberCharts({ stats }: { stats: MemberStats }) {
  const labels = t.member;
  const specs = useMemo(
    () => ({
      category: barSpec(stats.by_category, labels.categories, { caption: h.byCategory, columns: COUNTS }),
      age: barSpec(stats.by_age_band, h.ageBands, { caption: h.byAge, columns: COUNTS }),
      education: barSpec(stats.by_education, { ...labels.educations, unknown: h.unknown }, { caption: h.byEducation, columns: COUNTS }),
      pipeline: funnelSpec(inPipeline(stats.by_stage), labels.stages, { caption: h.pipeline, columns: COUNTS }),
    }),
    [stats, labels],
  );
  return (
    <>
      <Col xs={24} lg={12}>
        <ChartCard title={h.byCategory} spec={specs.category} testId="home-chart-category" />
      </Col>
      <Col xs={24} lg={12}>
        <ChartCard title={h.pipeline} spec={specs.pipeline} testId="home-chart-pipeline" />
      </Col>
      <Col xs={24} lg={12}>
        <ChartCard title={h.byAge} spec={specs.age} testId="home-chart-age" />
      </Col>
      <Col xs={24} lg={12}>
        <ChartCard title={h.byEducation} spec={specs.education} testId="home-chart-education" />
      </Col>
    </>
  );
}

function TrendChart({ trend }: { trend: ComplaintTrend }) {
  const spec = useMemo(
    () =>
      trendSpec(trend.months, {
        caption: h.trend,
        month: h.month,
        received: h.received,
        resolved: h.resolved,
        onTimeRate: h.onTimeRate,
        satisfactionRate: h.satisfactionRate,
        empty: t.common.empty,
      }),
    [trend],
  );
  return <ChartCard title={h.trend} spec={spec} testId="home-chart-trend" />;
}

/** The score histogram and grade ring of one scheme (the newest by default) within the chosen subtree. */
function ScoreCharts({ org }: { org: number | undefined }) {
  const [params, setParams] = useSearchParams();
  const schemes = useLoader(() => listScoringSchemes({ query: { limit: 100 } }).then(({ data }) => data.items), 'schemes');
  const chosen = Number(params.get('scheme')) || latestScheme(schemes.data ?? [])?.id;
  const distribution = useLoader<ScoreDistribution | null>(
    () => (chosen ? getScoringDistribution({ path: { scheme_id: chosen }, query: { org_id: org } }).then(({ data }) => data) : Promise.resolve(null)),
    `${chosen ?? ''}|${org ?? ''}`,
  );
  const specs = useMemo(() => {
    const data = distribution.data;
    if (!data || data.total === 0) return null;
    const grades = { ...t.scoring.grades, ungraded: t.scoring.grades.notGraded };
    return {
      histogram: histogramSpec(data, { caption: h.scores, columns: [h.band, h.count] }),
      grades: gradeSpec(data.by_grade, grades, { caption: h.grades, columns: [h.grade, h.count] }),
    };
  }, [distribution.data]);
  const picker = (
    <Select
      aria-label={h.scheme}
      size="small"
      value={chosen}
      onChange={(value: number) => {
        const next = new URLSearchParams(params);
        next.set('scheme', String(value));
        setParams(next);
      }}
      options={(schemes.data ?? []).map((scheme) => ({ value: scheme.id, label: scheme.name }))}
      style={{ minWidth: 180 }}
      data-testid="home-scheme"
    />
  );
  const note = !schemes.loading && !chosen ? h.noScheme : distribution.data?.total === 0 ? h.notComputed : null;
  return (
    <>
      <Col xs={24} lg={14}>
        <ChartCard title={h.scores} spec={specs?.histogram ?? null} testId="home-chart-scores" extra={picker}>
          <LoadError loader={schemes} />
          <LoadError loader={distribution} />
          {note ? <Empty description={note} /> : null}
          {distribution.data?.average_score ? <Typography.Text type="secondary">{h.averageScore(distribution.data.average_score)}</Typography.Text> : null}
        </ChartCard>
      </Col>
      <Col xs={24} lg={10}>
        <ChartCard title={h.grades} spec={specs?.grades ?? null} testId="home-chart-grades">
          {note ? <Empty description={note} /> : null}
        </ChartCard>
      </Col>
    </>
  );
}

/**
 * The organisation department's view of a subtree (its own by default): members by category, age and
 * education, the development funnel, 三会一课 compliance, overdue complaints and the monthly satisfaction
 * trend, and the score distribution — each part only for callers who may read it. `homeOrg`: the
 * caller's own org, shown until another is picked (null for a system administrator: everything).
 */
export function CountyDashboard({ homeOrg }: { homeOrg: number | null }) {
  const [params, setParams] = useSearchParams();
  const canComplaints = useCan('complaints:read');
  const canScores = useCan('scoring:read');
  const org = Number(params.get('org')) || (homeOrg ?? undefined);
  const key = String(org ?? '');
  const stats = useLoader<MemberStats>(() => getMemberStats({ query: { org_id: org } }).then(({ data }) => data), key);
  const compliance = useLoader<ComplianceReport>(() => getCompliance({ query: { org, limit: 1 } }).then(({ data }) => data), key);
  const trend = useLoader<ComplaintTrend | null>(
    () => (canComplaints ? complaintTrend({ query: { org_id: org } }).then(({ data }) => data) : Promise.resolve(null)),
    `${key}|${canComplaints}`,
  );
  const orgQuery = org ? `org=${org}` : '';

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="home-county">
      <Space wrap size={12} style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {h.countyTitle}
        </Typography.Title>
        <OrgPicker
          aria-label={h.org}
          allowClear={false}
          value={org ?? null}
          onChange={(value) => {
            const next = new URLSearchParams(params);
            if (value) next.set('org', String(value));
            else next.delete('org');
            setParams(next);
          }}
          style={{ minWidth: 240 }}
        />
      </Space>
      <LoadError loader={stats} />
      <Row gutter={[16, 16]}>
        <Col xs={24} sm={12} lg={6}>
          <Card size="small">
            <Statistic data-testid="home-total-members" title={h.totalMembers} value={stats.data?.total ?? 0} loading={stats.loading} />
            {stats.data?.share_of_population != null ? (
              <Typography.Text type="secondary">{h.shareOfPopulation(percent(stats.data.share_of_population))}</Typography.Text>
            ) : null}
          </Card>
        </Col>
        <Col xs={24} sm={12} lg={6}>
          <Card size="small" extra={<Link to={`/study/compliance?${orgQuery}`}>{h.complianceLink}</Link>} title={h.compliance}>
            <LoadError loader={compliance} />
            <Statistic
              data-testid="home-compliance-met"
              title={h.orgsMet}
              value={compliance.data?.summary.orgs_met ?? 0}
              suffix={`/ ${compliance.data?.summary.orgs_considered ?? 0}`}
              loading={compliance.loading}
             
            />
          </Card>
        </Col>
        <Col xs={24} sm={12} lg={6}>
          <Card size="small">
            <Statistic title={h.missedPeriods} value={compliance.data?.summary.missed_count ?? 0} loading={compliance.loading} />
            <Typography.Text type="secondary">
              {h.attendanceRate} {percent(compliance.data?.summary.attendance.rate)}
            </Typography.Text>
          </Card>
        </Col>
        {canComplaints ? (
          <Col xs={24} sm={12} lg={6}>
            <Card size="small">
              <LoadError loader={trend} />
              <Statistic
                data-testid="home-overdue-complaints"
                title={h.overdueComplaints}
                value={trend.data?.overdue_open ?? 0}
                loading={trend.loading}
                styles={{ content: { color: trend.data?.overdue_open ? 'var(--ant-color-error)' : undefined } }}
               
              />
              <Link to="/complaints?tab=overdue">{h.overdueLink}</Link>
            </Card>
          </Col>
        ) : null}
        {stats.data ? <MemberCharts stats={stats.data} /> : null}
        {canComplaints && trend.data ? (
          <Col xs={24}>
            <TrendChart trend={trend.data} />
          </Col>
        ) : null}
        {canScores ? <ScoreCharts org={org} /> : null}
      </Row>
    </Space>
  );
}
