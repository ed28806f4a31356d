const integer = new Intl.NumberFormat("fr-FR");

/** Formats a count the French way (thin spaces between thousands). */
export function formatCount(n: number): string {
  return integer.format(n);
}

/** Writes `n` followed by the singular or plural noun. */
export function plural(n: number, singular: string, pluralForm: string): string {
  return `${formatCount(n)} ${n > 1 ? pluralForm : singular}`;
}
/** Formats a `YYYY-MM-DD` calendar date as `JJ/MM/AAAA`, without time zones. */
export function formatDate(date: string | null | undefined): string {
  if (!date) return "—";
  const [y, m, d] = date.slice(0, 10).split("-");
  return y && m && d ? `${d}/${m}/${y}` : date;
}

const dateTime = new Intl.DateTimeFormat("fr-FR", { dateStyle: "short", timeStyle: "short", timeZone: "Europe/Paris" });

/** Formats an RFC 3339 instant as `JJ/MM/AAAA HH:MM`, Paris time. */
export function formatDateTime(instant: string | null | undefined): string {
  if (!instant) return "—";
  const d = new Date(instant);
  return Number.isNaN(d.getTime()) ? instant : dateTime.format(d);
}

const months = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."];

/** Formats a `YYYY-MM` month as `janv. 2026`. */
export function formatMonth(month: string): string {
  const [y, m] = month.split("-");
  const name = months[Number(m) - 1];
  return y && name ? `${name} ${y}` : month;
}

/** Returns the `YYYY-MM-DD` date `months` months before `from` (default: today). */
export function monthsAgo(months: number, from = new Date()): string {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() - months, from.getUTCDate()));
  return d.toISOString().slice(0, 10);
}
