import dayjs, { type Dayjs } from 'dayjs';

/** Today's date in China, where the organisations keep their calendars. */
export function todayInChina(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now);
}

/**
 * Today in China as a date picker's value. The server dates steps by China's calendar and refuses
 * days after its own today, so defaults and limits follow it even when the browser's clock is elsewhere.
 */
export function pickerToday(now: Date = new Date()): Dayjs {
  return dayjs(todayInChina(now));
}

/** For a DatePicker's `disabledDate`: days after today in China. */
export function isAfterTodayInChina(day: Dayjs): boolean {
  return day.isAfter(pickerToday(), 'day');
}
