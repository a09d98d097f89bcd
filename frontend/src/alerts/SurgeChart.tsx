import { useMemo } from 'react';
import type { AlertRead } from '../api';
import { Chart } from '../components/Chart';
import { t } from '../i18n';
import { surgeSeries } from './why';

const a = t.alerts;

/** A surge's daily counts over its baseline and the day itself, beside the threshold it crossed; nothing without a series. */
export function SurgeChart({ alert, categoryName }: { alert: AlertRead; categoryName: string }) {
  const series = useMemo(() => surgeSeries(alert), [alert]);
  const option = useMemo(
    () =>
      series && {
        grid: { left: 40, right: 16, top: 32, bottom: 28 },
        tooltip: { trigger: 'axis' },
        legend: { data: [a.chartCount, a.chartThreshold], top: 0 },
        xAxis: { type: 'category', data: series.days.map((day) => day.slice(5)) },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          { name: a.chartCount, type: 'line', data: series.counts, smooth: false, symbolSize: 5 },
          {
            name: a.chartThreshold,
            type: 'line',
            data: series.days.map(() => Math.round(series.threshold * 100) / 100),
            symbol: 'none',
            lineStyle: { type: 'dashed', color: '#cf1322' },
            itemStyle: { color: '#cf1322' },
          },
        ],
      },
    [series],
  );
  if (!series || !option) return null;
  return (
    <Chart
      option={option}
      label={a.chartLabel(categoryName)}
      height={220}
      data-testid={`surge-chart-${alert.id}`}
      table={{ caption: a.chartLabel(categoryName), columns: [a.chartDay, a.chartCount], rows: series.days.map((day, i) => [day, series.counts[i] ?? 0]) }}
    />
  );
}
