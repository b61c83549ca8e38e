/**
 * The ISO 8601 times a caller may give as a point in time (a call's `options.eta`): a calendar
 * date, or a date and a time of day, in the extended form. DataFlux Func checks them with
 * validator.js's `isISO8601` and reads them with moment, so a time without a UTC offset (what
 * Python's `datetime.now().isoformat()` writes) is taken; Func reads such a time as UTC (DataFlux
 * Func reads it in its server's local time: docs/compatibility.md).
 */

/** The forms taken, as a refusal states them. */
export const ISO_TIME_FORMS =
  'must be an ISO 8601 date or date-time: 2030-01-31, or 2030-01-31T08:00, 2030-01-31T08:00:00 or 2030-01-31T08:00:00.123456 (T or a space between date and time), optionally ending in Z or an offset such as +08:00, +0800 or +08; without one the time is UTC';

// YYYY-MM-DD, then optionally [T ]HH:MM[:SS[.fraction]] and an offset (Z, ±HH, ±HHMM, ±HH:MM).
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;

/**
 * Epoch milliseconds of `text` in one of the forms above (a fraction of a second past the
 * millisecond is cut off), or undefined for anything else: another form, a date that does not
 * exist (2030-02-30), an hour past 23, a minute or second past 59, an offset past 23:59.
 */
export function parseIsoTime(text: string): number | undefined {
  const m = ISO_TIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', , sign, oh = '0', om = '0'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59 || Number(oh) > 23 || Number(om) > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  // A day the month does not have rolls over into the next month.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  const ms = Number(frac.slice(0, 3).padEnd(3, '0'));
  const offsetMin = sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  return date.getTime() + ((hour * 60 + minute - offsetMin) * 60 + second) * 1000 + ms;
}
