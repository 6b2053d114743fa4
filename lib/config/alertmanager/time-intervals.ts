import { IConstruct } from 'constructs';
import { invalid } from '../../errors';
import { compact } from '../common/validate';

/** Days of the week, in Alertmanager's order (a range must not wrap past Saturday). */
export enum Weekday {
  SUNDAY = 'sunday',
  MONDAY = 'monday',
  TUESDAY = 'tuesday',
  WEDNESDAY = 'wednesday',
  THURSDAY = 'thursday',
  FRIDAY = 'friday',
  SATURDAY = 'saturday',
}

/** Months of the year. */
export enum Month {
  JANUARY = 'january',
  FEBRUARY = 'february',
  MARCH = 'march',
  APRIL = 'april',
  MAY = 'may',
  JUNE = 'june',
  JULY = 'july',
  AUGUST = 'august',
  SEPTEMBER = 'september',
  OCTOBER = 'october',
  NOVEMBER = 'november',
  DECEMBER = 'december',
}

/** An inclusive range of weekdays, e.g. Monday to Friday. */
export interface WeekdayRange {
  readonly from: Weekday;
  /** @default `from` (a single day) */
  readonly to?: Weekday;
}

/** An inclusive range of months. */
export interface MonthRange {
  readonly from: Month;
  /** @default `from` (a single month) */
  readonly to?: Month;
}

/**
 * An inclusive range of days of the month: 1 to 31, or -1 (the last day) to
 * -31 counting from the end. Both ends negative, or both positive, or a
 * positive start with a negative end (`1` to `-1` is the whole month).
 */
export interface DayOfMonthRange {
  readonly from: number;
  /** @default `from` (a single day) */
  readonly to?: number;
}

/** An inclusive range of years. */
export interface YearRange {
  readonly from: number;
  /** @default `from` (a single year) */
  readonly to?: number;
}

/** A time of day range, `HH:MM` (24 h), start inclusive, end exclusive. */
export interface TimeOfDayRange {
  /** e.g. '09:00' */
  readonly startTime: string;
  /** e.g. '17:00'; '24:00' is the end of the day. Must be after `startTime`. */
  readonly endTime: string;
}

/**
 * One period of time. A moment is in the period when it matches every field
 * that is set; an unset field matches everything.
 */
export interface TimePeriod {
  /** @default the whole day */
  readonly times?: TimeOfDayRange[];
  /** @default every day of the week */
  readonly weekdays?: Array<Weekday | WeekdayRange>;
  /** @default every day of the month */
  readonly daysOfMonth?: Array<number | DayOfMonthRange>;
  /** @default every month */
  readonly months?: Array<Month | MonthRange>;
  /** @default every year */
  readonly years?: Array<number | YearRange>;
  /**
   * IANA time zone the other fields are read in, e.g. 'Europe/Berlin'.
   * @default 'UTC'
   */
  readonly location?: string;
}

/** A named set of periods, referenced by routes' `muteTimeIntervals` and `activeTimeIntervals`. */
export interface TimeInterval {
  /** Unique name. */
  readonly name: string;
  /** The periods; the interval is the union of them. */
  readonly timeIntervals: TimePeriod[];
}

const WEEKDAYS: string[] = Object.values(Weekday);
const MONTHS: string[] = Object.values(Month);
const HH_MM = /^(?:([01][0-9]|2[0-3]):([0-5][0-9])|(24):(00))$/;

type Range<T> = { readonly from: T; readonly to?: T };
const asRange = <T>(v: T | Range<T>): Range<T> => (typeof v === 'object' && v !== null ? v as Range<T> : { from: v as T });
/** The field of one end of a range; a bare value is its own field. */
const endField = (field: string, v: unknown, end: 'from' | 'to') => (typeof v === 'object' && v !== null ? `${field}.${end}` : field);
const show = <T>(from: T, to: T) => (from === to ? `${from}` : `${from}:${to}`);

function named(scope: IConstruct, field: string, values: string[], what: string, v: Weekday | WeekdayRange | Month | MonthRange): string {
  const { from, to = from } = asRange<string>(v as string | Range<string>);
  for (const [end, value] of [['from', from], ['to', to]] as const) {
    if (!values.includes(value)) invalid(scope, endField(field, v, end), `'${value}' is not a ${what} (${values.join(', ')})`);
  }
  if (values.indexOf(from) > values.indexOf(to)) {
    invalid(scope, field, `${what} range ${from} to ${to} runs backwards (${values[0]} to ${values[values.length - 1]} is the order)`);
  }
  return show(from, to);
}

function dayOfMonth(scope: IConstruct, field: string, v: number | DayOfMonthRange): string {
  const { from, to = from } = asRange(v);
  for (const [end, d] of [['from', from], ['to', to]] as const) {
    if (!Number.isInteger(d) || d === 0 || d < -31 || d > 31) invalid(scope, endField(field, v, end), `${d} is not a day of the month (1 to 31, or -1 to -31 from the end)`);
  }
  // Alertmanager's own check: negative days are compared as if the month had 28 days.
  if ((from < 0 && to > 0) || (from < 0 ? 28 + from : from) > (to < 0 ? 28 + to : to)) {
    invalid(scope, field, `day range ${from} to ${to} is empty in some months`);
  }
  return show(from, to);
}

function year(scope: IConstruct, field: string, v: number | YearRange): string {
  const { from, to = from } = asRange(v);
  for (const [end, y] of [['from', from], ['to', to]] as const) {
    if (!Number.isInteger(y) || y < 1 || y > 9999) invalid(scope, endField(field, v, end), `${y} is not a year`);
  }
  if (from > to) invalid(scope, field, `year range ${from} to ${to} runs backwards`);
  return show(from, to);
}

function minutes(scope: IConstruct, field: string, hhmm: string): number {
  const m = HH_MM.exec(hhmm ?? '');
  if (!m) invalid(scope, field, `'${hhmm}' is not a time of day HH:MM between 00:00 and 24:00`);
  return Number(m[1] ?? m[3]) * 60 + Number(m[2] ?? m[4]);
}

function location(scope: IConstruct, field: string, tz: string | undefined): string | undefined {
  if (tz === undefined || tz === 'UTC' || tz === 'Local') return tz;
  // Go loads zones from case-sensitive file names; Intl is lenient about case, so check the shape too.
  let known = /^[A-Z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(tz);
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    known = false;
  }
  if (!known) invalid(scope, field, `'${tz}' is not an IANA time zone name like 'Europe/Berlin'`);
  return tz;
}

function renderPeriod(scope: IConstruct, field: string, p: TimePeriod): Record<string, unknown> {
  return compact({
    times: p.times?.map((t, i) => {
      const f = `${field}.times[${i}]`;
      if (minutes(scope, `${f}.startTime`, t.startTime) >= minutes(scope, `${f}.endTime`, t.endTime)) {
        invalid(scope, f, `startTime ${t.startTime} must be before endTime ${t.endTime}`);
      }
      return { start_time: t.startTime, end_time: t.endTime };
    }),
    weekdays: p.weekdays?.map((w, i) => named(scope, `${field}.weekdays[${i}]`, WEEKDAYS, 'weekday', w)),
    days_of_month: p.daysOfMonth?.map((d, i) => dayOfMonth(scope, `${field}.daysOfMonth[${i}]`, d)),
    months: p.months?.map((m, i) => named(scope, `${field}.months[${i}]`, MONTHS, 'month', m)),
    years: p.years?.map((y, i) => year(scope, `${field}.years[${i}]`, y)),
    location: location(scope, `${field}.location`, p.location),
  });
}

/** Validates and renders `time_intervals`; returns them and the set of their names. */
export function renderTimeIntervals(scope: IConstruct, field: string, intervals: TimeInterval[] | undefined): { rendered?: unknown[]; names: Set<string> } {
  const names = new Set<string>();
  const rendered = intervals?.map((ti, i) => {
    const f = `${field}[${i}]`;
    if (!ti.name || !ti.name.trim()) invalid(scope, `${f}.name`, 'must not be empty');
    if (names.has(ti.name)) invalid(scope, `${f}.name`, `duplicate time interval name '${ti.name}'`);
    names.add(ti.name);
    if (!ti.timeIntervals?.length) invalid(scope, `${f}.timeIntervals`, `time interval '${ti.name}' needs at least one period`);
    return { name: ti.name, time_intervals: ti.timeIntervals.map((p, j) => renderPeriod(scope, `${f}.timeIntervals[${j}]`, p)) };
  });
  return { rendered, names };
}
