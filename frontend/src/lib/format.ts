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
