import {
  BusinessCalendar,
  TicketState,
} from '@opensla/backstage-plugin-sla-common';
import { TicketChange, sortTicketChanges, ticketClock } from './ticketClock';

const t = Date.parse;
const H = 3_600_000;
const M = 60_000;

const nineToFive: Array<[string, string]> = [['09:00', '17:00']];
/** Berlin office hours, Monday to Friday 09:00–17:00, Christmas Day closed. */
const berlin: BusinessCalendar = {
  timeZone: 'Europe/Berlin',
  openingHours: {
    mon: nineToFive,
    tue: nineToFive,
    wed: nineToFive,
    thu: nineToFive,
    fri: nineToFive,
  },
  holidays: ['2026-12-25'],
};

const changes = (...pairs: Array<[string, TicketState]>): TicketChange[] =>
  sortTicketChanges(pairs.map(([at, state]) => ({ at: t(at), state })));

const resolution = (maxDurationMs: number, calendar?: BusinessCalendar) => ({
  measure: 'resolution' as const,
  maxDurationMs,
  calendar,
});

describe('ticketClock', () => {
  it('is undefined before the ticket is opened', () => {
    const c = changes(['2026-06-10T10:00:00Z', 'new']);
    expect(
      ticketClock(c, resolution(H), t('2026-06-10T09:00:00Z')),
    ).toBeUndefined();
  });

  it('starts at new, pauses waiting on the customer, resumes and stops at resolved (wall time)', () => {
    const c = changes(
      ['2026-06-10T10:00:00Z', 'new'],
      ['2026-06-10T10:30:00Z', 'in-progress'],
      ['2026-06-10T11:00:00Z', 'waiting-on-customer'],
      ['2026-06-10T13:00:00Z', 'in-progress'],
      ['2026-06-10T14:00:00Z', 'resolved'],
    );
    // 10:00–11:00 running, 11:00–13:00 paused, 13:00–14:00 running.
    expect(
      ticketClock(c, resolution(4 * H), t('2026-06-10T15:00:00Z')),
    ).toEqual({
      startedAt: t('2026-06-10T10:00:00Z'),
      elapsedMs: 2 * H,
      allowedMs: 4 * H,
      clockState: 'stopped',
      counting: false,
      breached: false,
      stoppedAt: t('2026-06-10T14:00:00Z'),
    });
    // While waiting on the customer: 1 h used, paused, no deadline.
    expect(
      ticketClock(c, resolution(4 * H), t('2026-06-10T12:00:00Z')),
    ).toEqual({
      startedAt: t('2026-06-10T10:00:00Z'),
      elapsedMs: H,
      allowedMs: 4 * H,
      clockState: 'paused',
      pausedIn: 'waiting-on-customer',
      counting: false,
      breached: false,
    });
    // Running again at 13:30: 1.5 h used, 2.5 h left → due at 16:00.
    expect(
      ticketClock(c, resolution(4 * H), t('2026-06-10T13:30:00Z')),
    ).toMatchObject({
      elapsedMs: 1.5 * H,
      clockState: 'running',
      counting: true,
      deadline: t('2026-06-10T16:00:00Z'),
      breached: false,
    });
  });

  it('measures the response as the first move out of new, whatever the state', () => {
    const c = changes(
      ['2026-06-10T10:00:00Z', 'new'],
      ['2026-06-10T10:20:00Z', 'waiting-on-customer'],
      ['2026-06-10T12:00:00Z', 'in-progress'],
    );
    expect(
      ticketClock(
        c,
        { measure: 'response', maxDurationMs: 15 * M },
        t('2026-06-10T13:00:00Z'),
      ),
    ).toEqual({
      startedAt: t('2026-06-10T10:00:00Z'),
      elapsedMs: 20 * M,
      allowedMs: 15 * M,
      clockState: 'stopped',
      counting: false,
      breached: true,
      breachedAt: t('2026-06-10T10:15:00Z'),
      stoppedAt: t('2026-06-10T10:20:00Z'),
    });
  });

  it('pauses over a weekend while waiting on the customer, in business time', () => {
    // Friday 12 June 2026, Berlin (UTC+2): new at 15:00, in progress 15:15,
    // waiting on the customer from 16:00 until Monday 11:00.
    const c = changes(
      ['2026-06-12T13:00:00Z', 'new'],
      ['2026-06-12T13:15:00Z', 'in-progress'],
      ['2026-06-12T14:00:00Z', 'waiting-on-customer'],
      ['2026-06-15T09:00:00Z', 'in-progress'],
    );
    // Monday 12:00: Friday 15:00–16:00 (1 h) + Monday 11:00–12:00 (1 h).
    // Without the pause it would be Friday 2 h + Monday 3 h.
    const monday = ticketClock(
      c,
      resolution(4 * H, berlin),
      t('2026-06-15T10:00:00Z'),
    );
    expect(monday).toMatchObject({
      elapsedMs: 2 * H,
      clockState: 'running',
      counting: true,
      // 2 h left from Monday 12:00 local: 14:00 local = 12:00Z.
      deadline: t('2026-06-15T12:00:00Z'),
      breached: false,
    });
    // Saturday: paused, 1 h used.
    expect(
      ticketClock(c, resolution(4 * H, berlin), t('2026-06-13T10:00:00Z')),
    ).toMatchObject({
      elapsedMs: H,
      clockState: 'paused',
      pausedIn: 'waiting-on-customer',
      counting: false,
    });
  });

  it('keeps 09:00–17:00 on the wall clock across the end of DST', () => {
    // Friday 23 Oct 2026 16:00 CEST (14:00Z); DST ends Sunday 25 Oct;
    // Monday 26 Oct 10:00 CET is 09:00Z.
    const c = changes(['2026-10-23T14:00:00Z', 'new']);
    const monday = ticketClock(
      c,
      resolution(4 * H, berlin),
      t('2026-10-26T09:00:00Z'),
    );
    // Friday 16:00–17:00 and Monday 09:00–10:00.
    expect(monday).toMatchObject({
      elapsedMs: 2 * H,
      // 2 h left from Monday 10:00 CET → 12:00 CET = 11:00Z.
      deadline: t('2026-10-26T11:00:00Z'),
      counting: true,
      breached: false,
    });
    // On Sunday night nothing counts (closed), though the clock runs.
    expect(
      ticketClock(c, resolution(4 * H, berlin), t('2026-10-25T22:00:00Z')),
    ).toMatchObject({ elapsedMs: H, clockState: 'running', counting: false });
  });

  it('skips a holiday and a weekend, and breaches in business time', () => {
    // Thursday 24 Dec 2026 16:00 CET (15:00Z); waiting on the vendor
    // 16:30–Monday 10:00 (the 25th is a holiday, then the weekend).
    const c = changes(
      ['2026-12-24T15:00:00Z', 'new'],
      ['2026-12-24T15:30:00Z', 'waiting-on-vendor'],
      ['2026-12-28T09:00:00Z', 'in-progress'],
    );
    // Monday 12:00 CET: 30 min Thursday + 2 h Monday.
    const reading = ticketClock(
      c,
      resolution(2 * H, berlin),
      t('2026-12-28T11:00:00Z'),
    );
    expect(reading).toMatchObject({
      elapsedMs: 2.5 * H,
      breached: true,
      // 30 min Thursday + 1.5 h Monday from 10:00 → 11:30 CET.
      breachedAt: t('2026-12-28T10:30:00Z'),
    });
  });

  it('does not count the time resolved, and reopens where it stopped', () => {
    const c = changes(
      ['2026-06-10T10:00:00Z', 'new'],
      ['2026-06-10T11:00:00Z', 'resolved'],
      ['2026-06-10T12:00:00Z', 'closed'],
      ['2026-06-10T20:00:00Z', 'in-progress'],
    );
    expect(
      ticketClock(c, resolution(4 * H), t('2026-06-10T13:00:00Z')),
    ).toMatchObject({
      elapsedMs: H,
      clockState: 'stopped',
      stoppedAt: t('2026-06-10T11:00:00Z'),
    });
    // Reopened at 20:00; at 21:00 two hours count, due at 23:00.
    expect(
      ticketClock(c, resolution(4 * H), t('2026-06-10T21:00:00Z')),
    ).toMatchObject({
      elapsedMs: 2 * H,
      clockState: 'running',
      deadline: t('2026-06-10T23:00:00Z'),
    });
  });

  it('pauses in maintenance windows too', () => {
    const c = changes(['2026-06-10T10:00:00Z', 'new']);
    const reading = ticketClock(
      c,
      {
        ...resolution(2 * H),
        maintenance: [
          { start: t('2026-06-10T11:00:00Z'), end: t('2026-06-10T12:00:00Z') },
        ],
      },
      t('2026-06-10T11:30:00Z'),
    );
    expect(reading).toMatchObject({
      elapsedMs: H,
      clockState: 'running',
      counting: false,
      deadline: t('2026-06-10T13:00:00Z'),
    });
  });

  it('reports a breach that happened before a pause', () => {
    const c = changes(
      ['2026-06-10T10:00:00Z', 'new'],
      ['2026-06-10T12:00:00Z', 'waiting-on-customer'],
    );
    expect(
      ticketClock(c, resolution(H), t('2026-06-11T12:00:00Z')),
    ).toMatchObject({
      elapsedMs: 2 * H,
      clockState: 'paused',
      breached: true,
      breachedAt: t('2026-06-10T11:00:00Z'),
    });
  });

  it('uses the configured pause states only', () => {
    const c = changes(
      ['2026-06-10T10:00:00Z', 'new'],
      ['2026-06-10T11:00:00Z', 'waiting-on-vendor'],
    );
    expect(
      ticketClock(
        c,
        { ...resolution(4 * H), pauseStates: ['waiting-on-customer'] },
        t('2026-06-10T13:00:00Z'),
      ),
    ).toMatchObject({ elapsedMs: 3 * H, clockState: 'running' });
  });

  it('reads the same history whatever order the changes arrive in', () => {
    const sent: Array<[string, TicketState]> = [
      ['2026-06-10T11:00:00Z', 'resolved'],
      ['2026-06-10T10:00:00Z', 'in-progress'],
      ['2026-06-10T10:00:00Z', 'new'],
    ];
    const a = changes(...sent);
    const b = changes(...[...sent].reverse());
    expect(a).toEqual(b);
    expect(a.map(x => x.state)).toEqual(['new', 'in-progress', 'resolved']);
    // Responded at once: the response clock shows no time.
    expect(
      ticketClock(
        a,
        { measure: 'response', maxDurationMs: M },
        t('2026-06-10T12:00:00Z'),
      ),
    ).toMatchObject({ elapsedMs: 0, breached: false });
  });
});
