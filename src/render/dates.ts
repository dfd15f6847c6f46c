/**
 * How a page shows a date: `YYYY-MM-DD HH:mm` in the outlet's time zone (the day alone for a
 * date without a time). Shared by the Markdown and the HTML renderers, so both show the same.
 * `cache` keeps one formatter per time zone for a render (building one costs far more than
 * using it).
 */
export function formatPageDate(
  iso: string | undefined,
  timezone: string,
  cache: Map<string, Intl.DateTimeFormat>,
  dayOnly = false,
): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  let fmt = cache.get(timezone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    cache.set(timezone, fmt);
  }
  const parts = Object.fromEntries(fmt.formatToParts(d).map((p) => [p.type, p.value]));
  const day = `${parts.year}-${parts.month}-${parts.day}`;
  return dayOnly ? day : `${day} ${parts.hour}:${parts.minute}`;
}
