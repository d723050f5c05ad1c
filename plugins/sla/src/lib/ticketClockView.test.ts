import type { TicketClock } from '@opensla/backstage-plugin-sla-common';
import { ticketClockView } from './ticketClockView';

const H = 3_600_000;
const M = 60_000;

const clock = (overrides: Partial<TicketClock> = {}): TicketClock => ({
  agreementId: 'a',
  targetId: 'p1-resolution',
  targetName: 'P1 resolution',
  measure: 'resolution',
  elapsedMs: H,
  allowedMs: 4 * H,
  fractionUsed: 0.25,
  clockState: 'running',
  counting: true,
  deadline: null,
  breached: false,
  ...overrides,
});

describe('ticketClockView', () => {
  it('ticks while the clock counts and turns at 50, 75 and 100 %', () => {
    expect(ticketClockView(clock(), 0)).toMatchObject({
      value: 25,
      tone: 'ok',
      label: '3 h left',
    });
    expect(ticketClockView(clock(), H)).toMatchObject({
      value: 50,
      tone: 'half',
      label: '2 h left',
    });
    expect(ticketClockView(clock(), 2 * H)).toMatchObject({
      tone: 'late',
      label: '1 h left',
    });
    expect(ticketClockView(clock(), 3 * H + 10 * M)).toMatchObject({
      value: 100,
      tone: 'over',
      label: 'overdue by 10 min',
    });
  });

  it('stands still while paused, and says why', () => {
    const paused = clock({
      clockState: 'paused',
      pausedIn: 'waiting-on-customer',
      counting: false,
    });
    expect(ticketClockView(paused, 5 * H)).toMatchObject({
      value: 25,
      label: '3 h left',
      status: 'paused — waiting on customer',
    });
  });

  it('stands still outside business hours', () => {
    expect(ticketClockView(clock({ counting: false }), H)).toMatchObject({
      value: 25,
      status: 'not counting now (outside business hours or in maintenance)',
    });
  });

  it('tells a stopped clock as met or missed', () => {
    expect(
      ticketClockView(
        clock({
          measure: 'response',
          elapsedMs: 20 * M,
          allowedMs: 15 * M,
          clockState: 'stopped',
          counting: false,
        }),
        H,
      ),
    ).toMatchObject({
      tone: 'over',
      label: 'missed after 20 min',
      status: 'responded',
    });
  });
});
