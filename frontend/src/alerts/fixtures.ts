import type { AlertRead } from '../api';

/** A surge as the API returns it: 9 complaints against a quiet fortnight. */
export function surgeAlert(overrides: Partial<AlertRead> = {}): AlertRead {
  return {
    id: 11,
    kind: 'surge',
    org_id: 3,
    category_id: 2,
    day: '2026-03-02',
    fired_at: '2026-03-02T06:00:00Z',
    reason_zh: '服务器的原话',
    reason_en: 'the server’s words',
    why: {
      observed: 9,
      baseline_days: 7,
      baseline_mean: 1.1429,
      baseline_std: 0.6389,
      sigma: 1.069,
      z: 3,
      min_count: 5,
      threshold: 5,
      formula: 'observed ≥ max(min_count, mean + z·σ)',
      baseline: [1, 2, 1, 0, 1, 2, 1],
    },
    items: [41, 42, 43, 44, 45, 46, 47, 48, 49],
    state: 'open',
    acknowledged_at: null,
    acknowledged_by: null,
    note: null,
    version: 1,
    ...overrides,
  };
}

/** A group of near-duplicates: 3 complaints, 2 of them new that day. */
export function duplicatesAlert(overrides: Partial<AlertRead> = {}): AlertRead {
  return {
    ...surgeAlert(),
    id: 12,
    kind: 'duplicates',
    category_id: null,
    reason_zh: '近30天内3件诉求内容高度相似',
    why: { size: 3, new_on_day: 2, window_days: 30, jaccard_threshold: 0.4, closest_pair_jaccard: 0.8125, ngram_sizes: [2, 3] },
    items: [51, 52, 53],
    ...overrides,
  };
}
