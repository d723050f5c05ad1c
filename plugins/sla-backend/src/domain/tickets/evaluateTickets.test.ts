import { TicketState } from '@opensla/backstage-plugin-sla-common';
import { evaluateTickets } from './evaluateTickets';
import { sortTicketChanges } from './ticketClock';

const t = Date.parse;
const H = 3_600_000;

const ticket = (
  key: string,
  priority: string,
  ...pairs: Array<[string, TicketState]>
) => ({
  key,
  changes: sortTicketChanges(
    pairs.map(([at, state], i) => ({
      at: t(at),
      state,
      ...(i === 0 ? { priority } : {}),
    })),
  ),
});

describe('evaluateTickets', () => {
  const tickets = [
    // Resolved in 1 h: met, in the window.
    ticket(
      'met',
      'P1',
      ['2026-06-10T08:00:00Z', 'new'],
      ['2026-06-10T09:00:00Z', 'resolved'],
    ),
    // Resolved in 3 h: failed.
    ticket(
      'late',
      'P1',
      ['2026-06-10T08:00:00Z', 'new'],
      ['2026-06-10T11:00:00Z', 'resolved'],
    ),
    // Open 1 h: not counted yet.
    ticket('open', 'P1', ['2026-06-10T11:00:00Z', 'new']),
    // Open, failed at 06:00 (before the window): left out of this window.
    ticket('old-open', 'P1', ['2026-06-10T04:00:00Z', 'new']),
    // Open, paused after 3 h: failed at 09:00, inside the window.
    ticket(
      'paused-failed',
      'P1',
      ['2026-06-10T07:00:00Z', 'new'],
      ['2026-06-10T10:00:00Z', 'waiting-on-customer'],
    ),
    // Another priority.
    ticket(
      'p2',
      'P2',
      ['2026-06-10T08:00:00Z', 'new'],
      ['2026-06-10T11:00:00Z', 'resolved'],
    ),
  ];

  it('counts closed tickets in the window of their end and open ones once failed', () => {
    expect(
      evaluateTickets(
        tickets,
        { measure: 'resolution', maxDurationMs: 2 * H, priority: 'P1' },
        {
          windowStart: t('2026-06-10T08:30:00Z'),
          at: t('2026-06-10T12:00:00Z'),
          maintenance: [],
        },
      ),
    ).toEqual({
      met: 1,
      failed: 2,
      counted: 3,
      failedTickets: ['late', 'paused-failed'],
    });
  });

  it('takes every priority without one on the target', () => {
    const r = evaluateTickets(
      tickets,
      { measure: 'resolution', maxDurationMs: 2 * H },
      {
        windowStart: t('2026-06-10T00:00:00Z'),
        at: t('2026-06-10T12:00:00Z'),
        maintenance: [],
      },
    );
    expect(r.failedTickets.sort()).toEqual(
      ['late', 'old-open', 'p2', 'paused-failed'].sort(),
    );
    expect(r.met).toBe(1);
  });
});
