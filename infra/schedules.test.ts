import { describe, expect, it } from 'vitest';
import { schedulerCron } from './schedules.js';

describe('schedulerCron', () => {
  it('turns five-field cron into EventBridge Scheduler cron, a day field made ?', () => {
    expect(schedulerCron('0 3 * * *')).toBe('cron(0 3 * * ? *)');
    expect(schedulerCron('30 5 1 * *')).toBe('cron(30 5 1 * ? *)');
    expect(schedulerCron('0 0 3 * * *')).toBe('cron(0 3 * * ? *)');
  });

  it('numbers the days of the week from Sunday = 1', () => {
    expect(schedulerCron('0 6 * * 1-5')).toBe('cron(0 6 ? * 2-6 *)');
    expect(schedulerCron('0 6 * * 0,7')).toBe('cron(0 6 ? * 1,1 *)');
  });

  it('refuses what EventBridge cannot say', () => {
    expect(() => schedulerCron('15 0 3 * * *')).toThrow('EventBridge Scheduler has no seconds');
    expect(() => schedulerCron('0 3 1 * 1')).toThrow('cannot restrict both');
    expect(() => schedulerCron('0 3 *')).toThrow('expected five fields');
  });
});
