import { addMonths, addYears, daysBetween, pickerToday, todayInChina } from './dates';

describe('calendar arithmetic', () => {
  it('clamps to the end of a shorter month, as the API does', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
  });

  it('counts whole days either way', () => {
    expect(daysBetween('2026-02-27', '2026-03-01')).toBe(2);
    expect(daysBetween('2026-03-01', '2026-02-27')).toBe(-2);
  });

  it('takes today from China’s calendar', () => {
    expect(todayInChina(new Date('2026-11-23T16:30:00Z'))).toBe('2026-11-24');
    expect(todayInChina(new Date('2026-11-23T15:30:00Z'))).toBe('2026-11-23');
  });

  it('gives date pickers China’s today, whatever the browser’s zone', () => {
    expect(pickerToday(new Date('2026-11-23T16:30:00Z')).format('YYYY-MM-DD')).toBe('2026-11-24');
  });
});
