/** Calendar arithmetic on ISO dates (`2026-03-31`), as the API's rules do it: month ends clamp. */
import dayjs, { type Dayjs } from 'dayjs';

function parts(isoDate: string): [number, number, number] {
  const [y, m, d] = isoDate.split('-').map(Number);
  return [y ?? 0, m ?? 1, d ?? 1];
}

function iso(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `isoDate` plus `months` calendar months; the 31st of a shorter month becomes its last day. */
export function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = parts(isoDate);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return iso(year, month, Math.min(d, daysInMonth(year, month)));
}

export function addYears(isoDate: string, years: number): string {
  return addMonths(isoDate, years * 12);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const [fy, fm, fd] = parts(from);
  const [ty, tm, td] = parts(to);
  return Math.round((Date.UTC(ty, tm - 1, td) - Date.UTC(fy, fm - 1, fd)) / 86_400_000);
}

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
