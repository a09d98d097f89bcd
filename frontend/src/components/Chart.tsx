import { BarChart, FunnelChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef, type CSSProperties, type ReactNode } from 'react';

// Only what the dashboards draw: tree-shaken `echarts/core`, rendered as SVG (crisp, and its text is in the DOM).
echarts.use([BarChart, FunnelChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

/** Hidden on screen, read by screen readers: the numbers a chart draws. */
const VISUALLY_HIDDEN: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: 'hidden',
  clipPath: 'inset(50%)',
  whiteSpace: 'nowrap',
  border: 0,
};

export interface ChartTable {
  caption: string;
  columns: string[];
  rows: (string | number)[][];
}

interface Props {
  option: echarts.EChartsCoreOption;
  /** What the chart shows, for assistive technology. */
  label: string;
  /** The chart's numbers as a table, visually hidden. */
  table: ChartTable;
  height?: number;
  'data-testid'?: string;
}

/**
 * One ECharts chart: created on mount, given each new option, resized with its box, disposed on
 * unmount. The drawing is an image labelled `label`; the numbers are in a hidden table beside it.
 */
export function Chart({ option, label, table, height = 280, ...rest }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const instance = echarts.init(element, undefined, { renderer: 'svg' });
    chart.current = instance;
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => {
            instance.resize();
          });
    observer?.observe(element);
    return () => {
      observer?.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return (
    <figure style={{ margin: 0, position: 'relative' }} data-testid={rest['data-testid']}>
      <div ref={box} role="img" aria-label={label} style={{ width: '100%', height }} />
      <HiddenTable table={table} />
    </figure>
  );
}

function HiddenTable({ table }: { table: ChartTable }): ReactNode {
  return (
    <table style={VISUALLY_HIDDEN}>
      <caption>{table.caption}</caption>
      <thead>
        <tr>
          {table.columns.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {table.rows.map((row) => (
          <tr key={String(row[0])}>
            {row.map((cell, i) => (i === 0 ? <th key={i} scope="row">{cell}</th> : <td key={i}>{cell}</td>))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
