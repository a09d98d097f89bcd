import type { AttentionReason } from '../api';
import { duplicatesAlert, surgeAlert } from './fixtures';
import { reasonTag, surgeSeries, whyText } from './why';

describe('whyText', () => {
  it('says a surge’s count on the day against its baseline and threshold', () => {
    expect(whyText(surgeAlert(), '道路交通')).toEqual({
      text: '2026-03-02「道路交通」类诉求 9 件，前 7 天日均 1.14 件，达到预警阈值 5 件',
      detail: '阈值 = 日均 + 3×波动（标准差 0.64），且不少于 5 件',
    });
  });

  it('says a duplicate group’s size, closest similarity and how many arrived that day', () => {
    expect(whyText(duplicatesAlert(), undefined)).toEqual({
      text: '近 30 天有 3 件诉求内容高度相似（最相近两件相似度 81%），其中 2 件为当天新收',
      detail: '相似度不低于 40% 即视为重复',
    });
  });

  it('falls back to the server’s sentence when the numbers are missing', () => {
    expect(whyText(surgeAlert({ why: { observed: 9 } }), '道路交通')).toEqual({ text: '服务器的原话', detail: null });
    expect(whyText(duplicatesAlert({ why: {} }), undefined).text).toBe('近30天内3件诉求内容高度相似');
  });
});

describe('surgeSeries', () => {
  it('dates the baseline days before the day, the day last', () => {
    const series = surgeSeries(surgeAlert());
    expect(series?.days).toEqual(['2026-02-23', '2026-02-24', '2026-02-25', '2026-02-26', '2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(series?.counts).toEqual([1, 2, 1, 0, 1, 2, 1, 9]);
    expect(series?.threshold).toBe(5);
  });

  it('has none for duplicates or a surge without its series', () => {
    expect(surgeSeries(duplicatesAlert())).toBeNull();
    expect(surgeSeries(surgeAlert({ why: { observed: 9, threshold: 5 } }))).toBeNull();
  });
});

describe('reasonTag', () => {
  const reason = (code: string, details: Record<string, unknown>): AttentionReason => ({ code, message_zh: `${code} 原话`, message_en: code, details });

  it('names each reason briefly with its number', () => {
    expect(reasonTag(reason('no_study', { months: 3, since: '2025-12-08', absent: 2 }))).toBe('无学习记录 3 个月');
    expect(reasonTag(reason('dues_arrears', { months_unpaid: 4, amount_owed: '12.00' }))).toBe('党费欠缴 4 个月');
    expect(reasonTag(reason('pledge_not_kept', { pledge_ids: [5, 6], months: 12 }))).toBe('承诺未践诺 2 项');
    expect(reasonTag(reason('low_grade', { grade: 'unqualified', scheme_id: 1, year: 2025 }))).toBe('评议等次：不合格');
    expect(reasonTag(reason('low_grade', { grade: 'basic', scheme_id: 1, year: 2025 }))).toBe('评议等次：基本合格');
  });

  it('uses the server’s sentence for a reason it does not know', () => {
    expect(reasonTag(reason('something_new', {}))).toBe('something_new 原话');
  });
});
