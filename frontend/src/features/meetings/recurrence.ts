import type { Recurrence, Weekday } from "./api";

/** RFC 5545 day codes, Monday first, with the names the form shows. */
export const WEEKDAYS: { code: Weekday; short: string; name: string }[] = [
  { code: "MO", short: "Mon", name: "Monday" },
  { code: "TU", short: "Tue", name: "Tuesday" },
  { code: "WE", short: "Wed", name: "Wednesday" },
  { code: "TH", short: "Thu", name: "Thursday" },
  { code: "FR", short: "Fri", name: "Friday" },
  { code: "SA", short: "Sat", name: "Saturday" },
  { code: "SU", short: "Sun", name: "Sunday" },
];

export type Repeat = "none" | Recurrence["frequency"];
export type RepeatEnd = "never" | "until" | "count";

/** What the recurrence part of the schedule form holds (strings as the inputs give them). */
export interface RecurrenceValues {
  repeat: Repeat;
  weekdays: Weekday[];
  end: RepeatEnd;
  /** YYYY-MM-DD */
  until: string;
  count: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `date` is a whole calendar date (YYYY-MM-DD), as a date input gives it (or "" while being typed). */
const isDate = (date: string) => DATE.test(date) && !Number.isNaN(Date.parse(`${date}T00:00:00Z`));

/** The weekday (RFC 5545 code) of a calendar date (YYYY-MM-DD); null for an empty or invalid one. */
export function weekdayOf(date: string): Weekday | null {
  if (!isDate(date)) return null;
  const sundayFirst = new Date(`${date}T00:00:00Z`).getUTCDay();
  return WEEKDAYS[(sundayFirst + 6) % 7].code;
}

const daysOf = (date: string): Weekday[] => {
  const day = weekdayOf(date);
  return day ? [day] : [];
};

export const initialRecurrence = (date: string): RecurrenceValues => ({
  repeat: "none",
  weekdays: daysOf(date),
  end: "never",
  until: "",
  count: "10",
});

/** The days a weekly meeting falls on: those chosen, else the start date's, Monday first. */
function weeklyDays(values: RecurrenceValues, startDate: string): Weekday[] {
  const chosen = values.weekdays.length ? values.weekdays : daysOf(startDate);
  return WEEKDAYS.map(({ code }) => code).filter((code) => chosen.includes(code));
}

/**
 * The recurrence after the start date changed from `before` to `after`: weekdays still at their
 * default (exactly the old date's day) follow the new date; a choice of the user's stays.
 */
export function followStartDate(values: RecurrenceValues, before: string, after: string): RecurrenceValues {
  const old = weekdayOf(before);
  const isDefault = values.weekdays.length === 1 && values.weekdays[0] === old;
  return isDefault && weekdayOf(after) ? { ...values, weekdays: daysOf(after) } : values;
}

/** What the user must fix before a repeating meeting is sent, by field; empty when nothing. */
export function recurrenceErrors(values: RecurrenceValues, startDate: string): { until?: string; count?: string } {
  if (values.repeat === "none") return {};
  if (values.end === "until") {
    if (!isDate(values.until)) return { until: "Choose the date the series ends" };
    if (isDate(startDate) && values.until < startDate) return { until: "The series can't end before it starts" };
  }
  if (values.end === "count") {
    const count = Number(values.count);
    if (!values.count.trim() || !Number.isInteger(count) || count < 1 || count > 500) {
      return { count: "Enter a whole number from 1 to 500" };
    }
  }
  return {};
}

/** The `recurrence` the API takes (null: does not repeat). */
export function recurrencePayload(values: RecurrenceValues, startDate: string): Recurrence | null {
  if (values.repeat === "none") return null;
  const count = Number.parseInt(values.count, 10);
  return {
    frequency: values.repeat,
    interval: 1,
    weekdays: values.repeat === "weekly" ? weeklyDays(values, startDate) : [],
    until: values.end === "until" && values.until ? values.until : null,
    count: values.end === "count" && Number.isFinite(count) ? count : null,
  };
}

const longDate = (date: string) =>
  new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(
    new Date(`${date}T00:00:00Z`),
  );

const joinNames = (names: string[]) =>
  names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}` : names.join("");

/** "Weekly on Monday and Wednesday, until 31 Jan 2027", or null when it does not repeat. */
export function recurrenceSummary(values: RecurrenceValues, startDate: string): string | null {
  const rule = recurrencePayload(values, startDate);
  // Nothing to say about a series without a start date (or, weekly, without a day).
  if (!rule || !isDate(startDate) || (rule.frequency === "weekly" && rule.weekdays.length === 0)) return null;
  const day = Number(startDate.slice(8, 10));
  const base = {
    daily: "Daily",
    weekdays: "Every weekday",
    weekly: `Weekly on ${joinNames(rule.weekdays.map((code) => WEEKDAYS.find((d) => d.code === code)!.name))}`,
    monthly: `Monthly on day ${day}`,
  }[rule.frequency];
  if (rule.until) return `${base}, until ${longDate(rule.until)}`;
  if (rule.count) return `${base}, ${rule.count} ${rule.count === 1 ? "time" : "times"}`;
  return base;
}
