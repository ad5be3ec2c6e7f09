/**
 * The pipelines' own cron schedules (`pipelines/*.ts`, one source of truth) in EventBridge
 * Scheduler's form: `cron(minutes hours day-of-month month day-of-week year)`, one of the two day
 * fields `?`, days of the week numbered from Sunday = 1.
 */

/** A five-field cron expression (or six with seconds, which must be 0) as an EventBridge Scheduler expression. */
export function schedulerCron(cron: string): string {
  let fields = cron.trim().split(/\s+/);
  if (fields.length === 6) {
    if (fields[0] !== '0') throw new Error(`"${cron}": EventBridge Scheduler has no seconds`);
    fields = fields.slice(1);
  }
  if (fields.length !== 5) throw new Error(`"${cron}": expected five fields (minute hour day-of-month month day-of-week)`);
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  if (dow === '*') return `cron(${minute} ${hour} ${dom} ${month} ? *)`;
  if (dom !== '*') throw new Error(`"${cron}": EventBridge Scheduler cannot restrict both the day of the month and of the week`);
  // cron numbers the days 0-7 from Sunday (0 and 7); EventBridge 1-7 from Sunday.
  const weekday = dow.replace(/\d+/g, (n) => String((Number(n) % 7) + 1));
  return `cron(${minute} ${hour} ? ${month} ${weekday} *)`;
}
