import { addsUp, contributionCents, describeLine, formatCents, parseExplanation, toCents, windowLabel } from './explanation';

// As GET /scoring/results/{member} returns it (engine.py): a capped quarterly rule, a manual deduction,
// two rater groups.
const raw = [
  {
    kind: 'rule',
    source: 'study_hours',
    label: null,
    points_per_unit: '0.5',
    cap: '20',
    windows: [{ window: 'scheme', units: '48', raw_points: '24', points: '20' }],
    points: '20',
    contribution: '8.00',
  },
  {
    kind: 'rule',
    source: 'meetings_absent',
    label: '无故缺席',
    points_per_unit: '-1',
    cap: '5',
    windows: [
      { window: '2026-Q1', units: '1', raw_points: '-1', points: '-1' },
      { window: '2026-Q2', units: '0', raw_points: '0', points: '0' },
    ],
    points: '-1',
    contribution: '-0.40',
  },
  { kind: 'manual', item_id: 9, type: 'deduction', reason: '迟交党费', points: '-2', contribution: '-0.80' },
  { kind: 'evaluation', group: 'fellow', ballots: 3, average: '88.00', weight: '0.25', share: '0.6250', contribution: '33.00' },
  { kind: 'evaluation', group: 'superior', ballots: 1, average: '95.00', weight: '0.15', share: '0.3750', contribution: '21.38' },
];

describe('explanation', () => {
  it('parses decimals as exact cents', () => {
    expect(toCents('54.38')).toBe(5438);
    expect(toCents('-0.4')).toBe(-40);
    expect(toCents('3')).toBe(300);
    expect(toCents('0.10')).toBe(10);
    expect(() => toCents('1.234')).toThrow();
    expect(formatCents(5438)).toBe('54.38');
    expect(formatCents(-50)).toBe('-0.50');
    expect(formatCents(0)).toBe('0.00');
  });

  it('adds the contributions up to the score exactly', () => {
    const lines = parseExplanation(raw);
    expect(contributionCents(lines)).toBe(6118);
    expect(addsUp(lines, '61.18')).toBe(true);
    expect(addsUp(lines, '61.19')).toBe(false);
    expect(addsUp(lines, '61.17')).toBe(false);
    // 0.1 + 0.2 in floats is not 0.3; in cents it is.
    expect(addsUp(parseExplanation([{ kind: 'manual', contribution: '0.10' }, { kind: 'manual', contribution: '0.20' }]), '0.30')).toBe(true);
  });

  it('keeps a line of an unknown kind, and counts it', () => {
    const lines = parseExplanation([{ kind: 'new_thing', contribution: '1.50' }]);
    expect(lines[0]?.kind).toBe('other');
    expect(addsUp(lines, '1.50')).toBe(true);
  });

  it('says what each line counted', () => {
    const [study, absent, manual, fellow] = parseExplanation(raw);
    if (!study || !absent || !manual || !fellow) throw new Error('lines missing');
    expect(describeLine(study)).toEqual({ title: '学习学时', detail: '整个周期：48 × 0.5 = 24，封顶为 20；计 20 分（封顶 20）' });
    expect(describeLine(absent).title).toBe('无故缺席');
    expect(describeLine(absent).detail).toContain('2026年第1季度：1 × -1 = -1');
    expect(describeLine(manual)).toEqual({ title: '减分 · 迟交党费', detail: '-2 分（事项 #9）' });
    expect(describeLine(fellow)).toEqual({ title: '党员互评', detail: '3 票，平均 88.00 分，权重 0.25（折算占比 0.6250）' });
    expect(windowLabel('2026-Q4')).toBe('2026年第4季度');
  });
});
