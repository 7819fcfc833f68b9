import semver from 'semver';
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
  duration: (v) => (isDuration(v) ? undefined : 'a duration is a whole number and one unit of s, m, h or d (e.g. 30m, 4h, 90d)'),
  semver: (v) => (semver.valid(v) === v ? undefined : 'a version is MAJOR.MINOR.PATCH, e.g. 1.0.0'),
  'semver-range': (v) =>
    v === 'latest' || semver.validRange(v) !== null
      ? undefined
      : 'a version range is a semver range such as >=1.0.0, ^2.0.0, ~1.2.0 or 1.x, or latest',
  cron: checkCron,
  timezone: (v) => (isTimeZone(v) ? undefined : 'a time zone is an IANA name such as UTC, Europe/Berlin or Africa/Nairobi'),
  quantity: (v) => (isQuantity(v) ? undefined : 'a quantity is a number with an optional suffix, e.g. 500m or 2 (CPU), 512Mi or 1Gi (memory)'),
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
