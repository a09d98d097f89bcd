import type { SchemeRead } from '../api';
import { createBody, DEFAULT_VALUES, updateBody, valuesFromScheme } from './schemeBody';

const stored: SchemeRead = {
  id: 4,
  org_id: 3,
  name: '2026年度党员积分',
  year: 2026,
  quarter: null,
  period_start: '2026-01-01',
  period_end: '2026-12-31',
  status: 'draft',
  rules: [{ source: 'study_hours', points_per_unit: '0.5', cap: '20', period: 'scheme', categories: [], label: null }],
  component_weights: { points: '0.4', evaluation: '0.6' },
  rater_weights: { self: '0.1', fellow: '0.25', committee: '0.2', superior: '0.15', masses: '0.3' },
  full_points: '100',
  grade_thresholds: { excellent: '90', qualified: '70', basic: '60' },
  excellent_cap: [1, 3],
  computed_at: null,
  published_at: null,
  published_by: null,
  version: 2,
};

describe('scheme bodies', () => {
  it('sends decimals as strings and blank labels as null', () => {
    const body = createBody({
      ...DEFAULT_VALUES,
      org_id: 3,
      name: ' 2026年度党员积分 ',
      year: 2026,
      quarter: null,
      rules: [{ source: 'meetings_absent', points_per_unit: -1, cap: 5, period: 'quarter', label: '  ' }],
    });
    expect(body).toEqual({
      org_id: 3,
      name: '2026年度党员积分',
      year: 2026,
      quarter: null,
      rules: [{ source: 'meetings_absent', points_per_unit: '-1', cap: '5', period: 'quarter', label: null, categories: [] }],
      component_weights: { points: '0.4', evaluation: '0.6' },
      rater_weights: { self: '0.1', fellow: '0.25', committee: '0.2', superior: '0.15', masses: '0.3' },
      full_points: '100',
      grade_thresholds: { excellent: '90', qualified: '70', basic: '60' },
      excellent_cap: [1, 3],
    });
  });

  it('round-trips a stored scheme through the form unchanged', () => {
    const values = valuesFromScheme({ ...stored, rules: [{ source: 'study_hours', points_per_unit: '0.5', cap: '20', period: 'scheme', categories: ['rural', 'retired'], label: null }] });
    expect(values.rater_weights).toEqual({ self: 0.1, fellow: 0.25, committee: 0.2, superior: 0.15, masses: 0.3 });
    const body = updateBody(values);
    expect(body.rules).toEqual([{ source: 'study_hours', points_per_unit: '0.5', cap: '20', period: 'scheme', label: null, categories: ['rural', 'retired'] }]);
    expect(body.rater_weights).toEqual(stored.rater_weights);
    expect(body).not.toHaveProperty('org_id');
  });
});
