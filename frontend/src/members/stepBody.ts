import dayjs from 'dayjs';

/** Form values with dates as picked; `serialize` turns them into the request body. */
export type Values = Record<string, unknown>;

/** Dates become ISO days; blanks and the dialog's own switches are dropped. */
export function serialize(values: Values): Values {
  const out: Values = {};
  for (const [key, value] of Object.entries(values)) {
    if (key === 'approvalGiven' || value === undefined || value === null || value === '') continue;
    if (dayjs.isDayjs(value)) {
      out[key] = value.format('YYYY-MM-DD');
    } else if (typeof value === 'object' && !Array.isArray(value)) {
      out[key] = serialize(value as Values);
    } else {
      out[key] = value;
    }
  }
  return out;
}
