import { LOCALE } from '../i18n';

const dateFormat = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'long', timeZone: 'UTC' });
const numberFormat = new Intl.NumberFormat(LOCALE);

/** Formats an ISO calendar date (`2019-07-01`) without shifting it through the local time zone. */
export function formatDate(isoDate: string): string {
  return dateFormat.format(new Date(`${isoDate}T00:00:00Z`));
}

export function formatNumber(value: number): string {
  return numberFormat.format(value);
}
