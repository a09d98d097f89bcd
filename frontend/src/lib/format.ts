import { LOCALE } from '../i18n';

/** Times are shown as the organisations keep them: China Standard Time. */
export const TIME_ZONE = 'Asia/Shanghai';

const dateFormat = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'long', timeZone: 'UTC' });
const dateTimeFormat = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'short', timeZone: TIME_ZONE });
const numberFormat = new Intl.NumberFormat(LOCALE);

/** Formats an ISO calendar date (`2019-07-01`) without shifting it through the local time zone. */
export function formatDate(isoDate: string): string {
  return dateFormat.format(new Date(`${isoDate}T00:00:00Z`));
}

/** An ISO date, or the empty placeholder. */
export function formatOptionalDate(isoDate: string | null | undefined, empty: string): string {
  return isoDate ? formatDate(isoDate) : empty;
}

/** Formats an ISO instant in China time. */
export function formatDateTime(isoDateTime: string): string {
  return dateTimeFormat.format(new Date(isoDateTime));
}

export function formatNumber(value: number): string {
  return numberFormat.format(value);
}
