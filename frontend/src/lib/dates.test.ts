import { pickerToday, todayInChina } from './dates';

describe('China’s calendar', () => {
  it('takes today from China’s calendar', () => {
    expect(todayInChina(new Date('2026-11-23T16:30:00Z'))).toBe('2026-11-24');
    expect(todayInChina(new Date('2026-11-23T15:30:00Z'))).toBe('2026-11-23');
  });

  it('gives date pickers China’s today, whatever the browser’s zone', () => {
    expect(pickerToday(new Date('2026-11-23T16:30:00Z')).format('YYYY-MM-DD')).toBe('2026-11-24');
  });
});
