import type { ComplaintTrendMonth, SchemeRead, ScoreDistribution } from '../api';
import { barSpec, funnelSpec, gradeSpec, histogramSpec, latestScheme, trendSpec } from './chartSpecs';

const named = { caption: '党员类别', columns: ['类别', '人数'] as [string, string] };

describe('barSpec', () => {
  it('keeps the API’s bucket order, labels each bucket and tabulates the same numbers', () => {
    const spec = barSpec({ employed: 3, rural: 0, mystery: 2 }, { employed: '在职', rural: '农村' }, named);
    const option = spec.option as { xAxis: { data: string[] }; series: { data: number[] }[] };
    expect(option.xAxis.data).toEqual(['在职', '农村', 'mystery']);
    expect(option.series[0]?.data).toEqual([3, 0, 2]);
    expect(spec.table).toEqual({ caption: '党员类别', columns: ['类别', '人数'], rows: [['在职', 3], ['农村', 0], ['mystery', 2]] });
  });
});

describe('funnelSpec', () => {
  it('draws the stages in pipeline order, not sorted by size', () => {
    const spec = funnelSpec({ applicant: 5, activist: 9, full: 40 }, { applicant: '申请人', activist: '积极分子', full: '正式党员' }, named);
    const series = (spec.option as { series: { sort: string; data: { name: string; value: number }[] }[] }).series[0];
    expect(series?.sort).toBe('none');
    expect(series?.data.map((d) => d.name)).toEqual(['申请人', '积极分子', '正式党员']);
    expect(spec.table.rows).toEqual([['申请人', 5], ['积极分子', 9], ['正式党员', 40]]);
  });
});

const month = (m: string, over: Partial<ComplaintTrendMonth>): ComplaintTrendMonth => ({
  month: m,
  received: 0,
  resolved: 0,
  resolved_on_time: 0,
  on_time_rate: null,
  rated: 0,
  satisfied: 0,
  satisfaction_rate: null,
  average_rating: null,
  ...over,
});

describe('trendSpec', () => {
  const labels = { caption: '趋势', month: '月份', received: '受理', resolved: '办结', onTimeRate: '按期', satisfactionRate: '满意', empty: '—' };

  it('puts counts on bars and rates as percentages on the second axis, a month without rates as a gap', () => {
    const spec = trendSpec([month('2026-04', { received: 4, resolved: 3, on_time_rate: 0.6667, satisfaction_rate: 0.5 }), month('2026-05', { received: 1 })], labels);
    const series = (spec.option as { series: { type: string; yAxisIndex?: number; data: (number | null)[] }[] }).series;
    expect(series.map((s) => [s.type, s.yAxisIndex ?? 0])).toEqual([
      ['bar', 0],
      ['bar', 0],
      ['line', 1],
      ['line', 1],
    ]);
    expect(series[0]?.data).toEqual([4, 1]);
    expect(series[1]?.data).toEqual([3, 0]);
    expect(series[2]?.data).toEqual([66.7, null]);
    expect(series[3]?.data).toEqual([50, null]);
    expect(spec.table.rows).toEqual([
      ['2026-04', 4, 3, '66.7%', '50%'],
      ['2026-05', 1, 0, '—', '—'],
    ]);
  });
});

describe('score charts', () => {
  const distribution: ScoreDistribution = {
    scheme_id: 1,
    org_id: 2,
    total: 4,
    average_score: '68.00',
    computed_at: '2027-01-10T02:00:00Z',
    bands: [
      { low: 80, high: 90, count: 0 },
      { low: 90, high: 100, count: 3 },
    ],
    by_grade: { excellent: 2, qualified: 0, ungraded: 1 },
  };

  it('labels histogram bands low–high', () => {
    const spec = histogramSpec(distribution, { caption: '分布', columns: ['分数段', '人数'] });
    expect(spec.table.rows).toEqual([
      ['80–90', 0],
      ['90–100', 3],
    ]);
  });

  it('leaves empty grades out of the ring but not out of the table', () => {
    const spec = gradeSpec(distribution.by_grade, { excellent: '优秀', qualified: '合格', ungraded: '预备党员' }, { caption: '等次', columns: ['等次', '人数'] });
    const data = (spec.option as { series: { data: { name: string }[] }[] }).series[0]?.data;
    expect(data?.map((d) => d.name)).toEqual(['优秀', '预备党员']);
    expect(spec.table.rows).toEqual([
      ['优秀', 2],
      ['合格', 0],
      ['预备党员', 1],
    ]);
  });
});

describe('latestScheme', () => {
  it('takes the latest year, then its latest quarter, then the newest', () => {
    const scheme = (id: number, year: number, quarter: number | null) => ({ id, year, quarter }) as SchemeRead;
    expect(latestScheme([scheme(1, 2026, null), scheme(2, 2025, 4), scheme(3, 2026, 2), scheme(4, 2026, 2)])?.id).toBe(4);
    expect(latestScheme([scheme(5, 2026, null), scheme(6, 2026, 1)])?.id).toBe(6);
    expect(latestScheme([])).toBeUndefined();
  });
});
