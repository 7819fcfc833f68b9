import { semver } from './semver.js';
import { Cron } from 'croner';
import { isDuration } from './duration.js';
import { isQuantity } from './quantity.js';
import { parseColumnType } from './column-type.js';
import { parseKeyTemplate } from './key-template.js';

/**
 * The string formats of the manifest schemas. Each returns undefined when the value is valid,
 * otherwise the reason. The schema checker and the rules share them.
 */
export const FORMAT_CHECKS: Record<string, (value: string) => string | undefined> = {
  duration: (v) =>
    isDuration(v) ? undefined : 'a duration is a whole number and one unit of s, m, h or d (e.g. 30m, 4h, 90d)',
  semver: (v) =>
    /^\d/.test(v) && !/\s/.test(v) && semver.valid(v) !== null
      ? undefined
      : 'a version is MAJOR.MINOR.PATCH, e.g. 1.0.0',
  'semver-range': (v) =>
    v === 'latest' || semver.validRange(v) !== null
      ? undefined
      : 'a version range is a semver range such as >=1.0.0, ^2.0.0, ~1.2.0 or 1.x, or latest',
  cron: checkCron,
  timezone: (v) =>
    isTimeZone(v) ? undefined : 'a time zone is an IANA name such as UTC, Europe/Berlin or Africa/Nairobi',
  quantity: (v) =>
    isQuantity(v)
      ? undefined
      : 'a quantity is a number with an optional suffix, e.g. 500m or 2 (CPU), 512Mi or 1Gi (memory)',
  'column-type': (v) => {
    const r = parseColumnType(v);
    return r.ok
      ? undefined
      : `${r.error}; types are string, integer, float, decimal(p,s), boolean, date, timestamp, uuid, json, array(T), map(K,V)`;
  },
  'key-template': (v) => {
    const r = parseKeyTemplate(v);
    return r.ok ? undefined : r.error.message;
  },
  date: (v) => (isIsoDate(v) ? undefined : 'a date is YYYY-MM-DD, e.g. 2027-01-01'),
  email: (v) =>
    /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(v) ? undefined : 'an e-mail address looks like name@example.com',
  regex: (v) => {
    try {
      new RegExp(v, 'u');
      return undefined;
    } catch (e) {
      return `not a valid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`;
    }
  },
};

function checkCron(v: string): string | undefined {
  const fields = v.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `a cron expression has 5 fields (minute hour day-of-month month day-of-week); this one has ${fields.length}`;
  }
  try {
    new Cron(v, { paused: true });
    return undefined;
  } catch (e) {
    return `not a valid cron expression: ${(e as Error).message}`;
  }
}

const zoneCache = new Map<string, boolean>();
export function isTimeZone(zone: string): boolean {
  let ok = zoneCache.get(zone);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      ok = zone.length > 0;
    } catch {
      ok = false;
    }
    zoneCache.set(zone, ok);
  }
  return ok;
}

/** A real calendar date written YYYY-MM-DD (leap years included). */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

const memo = new Map<string, string | undefined>();
const MEMO_LIMIT = 10_000;

/**
 * The reason a value does not fit a format, or undefined when it does. Results are memoised:
 * workspaces repeat the same versions, ranges, durations and cron expressions many times.
 */
export function checkFormat(format: string, value: string): string | undefined {
  const key = `${format}\u0000${value}`;
  if (memo.has(key)) return memo.get(key);
  const check = FORMAT_CHECKS[format];
  const reason = check ? check(value) : undefined;
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, reason);
  return reason;
}
