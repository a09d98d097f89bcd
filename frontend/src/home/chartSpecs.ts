import type { BarSeriesOption, FunnelSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { ComplaintTrendMonth, SchemeRead, ScoreDistribution } from '../api';
import type { ChartTable } from '../components/Chart';

export type Option = ComposeOption<
  BarSeriesOption | FunnelSeriesOption | LineSeriesOption | PieSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

/** What a chart draws and the same numbers as a table. */
export interface ChartSpec {
  option: Option;
  table: ChartTable;
}

const percent = (rate: number | null) => (rate == null ? null : Math.round(rate * 1000) / 10);
const percentText = (rate: number | null, empty: string) => (rate == null ? empty : `${percent(rate)}%`);

interface Named {
  caption: string;
  /** Column heads: the bucket, then the value. */
  columns: [string, string];
}

/** Bars, one per bucket in the API's order, labelled through `labels` (an unknown key shows itself). */
export function barSpec(counts: Record<string, number>, labels: Record<string, string>, { caption, columns }: Named): ChartSpec {
  const keys = Object.keys(counts);
  const names = keys.map((key) => labels[key] ?? key);
  const values = keys.map((key) => counts[key] ?? 0);
  return {
    option: {
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: names, axisLabel: { interval: 0, hideOverlap: true } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', name: columns[1], data: values, label: { show: true, position: 'top' } }],
    },
    table: { caption, columns, rows: names.map((name, i) => [name, values[i] ?? 0]) },
  };
}

/** A funnel of stages in the order given (the pipeline's, not sorted by size), labels beside it. */
export function funnelSpec(byStage: Record<string, number>, labels: Record<string, string>, { caption, columns }: Named): ChartSpec {
  const rows = Object.entries(byStage).map(([key, value]) => ({ name: labels[key] ?? key, value }));
  return {
    option: {
      tooltip: { trigger: 'item' },
      series: [
        {
          type: 'funnel',
          name: caption,
          sort: 'none',
          left: '5%',
          width: '60%',
          label: { show: true, position: 'right', formatter: '{b}：{c}' },
          data: rows,
        },
      ],
    },
    table: { caption, columns, rows: rows.map(({ name, value }) => [name, value]) },
  };
}

export interface TrendLabels {
  caption: string;
  month: string;
  received: string;
  resolved: string;
  onTimeRate: string;
  satisfactionRate: string;
  empty: string;
}

/** Received and resolved per month as bars, on-time and satisfaction rates (%) as lines on a second axis. */
export function trendSpec(months: ComplaintTrendMonth[], l: TrendLabels): ChartSpec {
  const axis = months.map((m) => m.month);
  return {
    option: {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: axis },
      yAxis: [
        { type: 'value', minInterval: 1 },
        { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      ],
      series: [
        { type: 'bar', name: l.received, data: months.map((m) => m.received) },
        { type: 'bar', name: l.resolved, data: months.map((m) => m.resolved) },
        { type: 'line', name: l.onTimeRate, yAxisIndex: 1, connectNulls: true, data: months.map((m) => percent(m.on_time_rate)) },
        { type: 'line', name: l.satisfactionRate, yAxisIndex: 1, connectNulls: true, data: months.map((m) => percent(m.satisfaction_rate)) },
      ],
    },
    table: {
      caption: l.caption,
      columns: [l.month, l.received, l.resolved, l.onTimeRate, l.satisfactionRate],
      rows: months.map((m) => [m.month, m.received, m.resolved, percentText(m.on_time_rate, l.empty), percentText(m.satisfaction_rate, l.empty)]),
    },
  };
}

/** The score histogram: one bar per band, labelled `low–high`. */
export function histogramSpec(distribution: ScoreDistribution, named: Named): ChartSpec {
  const counts = Object.fromEntries(distribution.bands.map((band) => [`${band.low}–${band.high}`, band.count]));
  return barSpec(counts, {}, named);
}

/** Members per grade as a ring, empty grades left out of the drawing but kept in the table. */
export function gradeSpec(byGrade: Record<string, number>, labels: Record<string, string>, { caption, columns }: Named): ChartSpec {
  const rows = Object.entries(byGrade).map(([key, value]) => ({ name: labels[key] ?? key, value }));
  return {
    option: {
      tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）' },
      legend: { bottom: 0 },
      series: [{ type: 'pie', name: caption, radius: ['40%', '68%'], data: rows.filter(({ value }) => value > 0) }],
    },
    table: { caption, columns, rows: rows.map(({ name, value }) => [name, value]) },
  };
}

/** The newest scheme: the latest year, then the latest quarter (a whole-year scheme sorts before its quarters), then the last made. */
export function latestScheme(schemes: SchemeRead[]): SchemeRead | undefined {
  return [...schemes].sort((a, b) => b.year - a.year || (b.quarter ?? 0) - (a.quarter ?? 0) || b.id - a.id)[0];
}
