import { BusinessCalendar } from '@opensla/backstage-plugin-sla-common';
import { evaluateDurationEvents } from './evaluateDurationEvents';
import { resolveWindow } from './resolveWindow';

const t = Date.parse;

describe('evaluateDurationEvents', () => {
  const windowStart = t('2024-05-01T00:00:00Z');
  const at = t('2024-05-10T00:00:00Z');
  const fourHours = { maxDuration: 'PT4H' };
  const options = { excluded: [], windowStart, at };

  it('counts closed events by their end and failed open events by their failure', () => {
    const result = evaluateDurationEvents(
      [
        // 3 h → met.
        {
          eventId: 'a',
          start: t('2024-05-02T10:00:00Z'),
          end: t('2024-05-02T13:00:00Z'),
        },
        // 5 h → failed.
        {
          eventId: 'b',
          start: t('2024-05-03T10:00:00Z'),
          end: t('2024-05-03T15:00:00Z'),
        },
        // Opened in April, closed in May after 3 h → this window, met.
        {
          eventId: 'c',
          start: t('2024-04-30T22:00:00Z'),
          end: t('2024-05-01T01:00:00Z'),
        },
        // Closed in April → an earlier window.
        {
          eventId: 'd',
          start: t('2024-04-29T00:00:00Z'),
          end: t('2024-04-30T00:00:00Z'),
        },
        // Open 2 h at `at` → not failed yet, left out.
        { eventId: 'e', start: t('2024-05-09T22:00:00Z') },
        // Open 14 h → failed at May 9 14:00, inside the window.
        { eventId: 'f', start: t('2024-05-09T10:00:00Z') },
        // Open since April 20 → failed April 20 04:00, in an earlier window.
        { eventId: 'g', start: t('2024-04-20T00:00:00Z') },
        // Closes after `at`, so still open at `at`: 12 h → failed May 9 16:00.
        {
          eventId: 'h',
          start: t('2024-05-09T12:00:00Z'),
          end: t('2024-05-10T02:00:00Z'),
        },
        // Starts at `at`: not yet happened.
        { eventId: 'i', start: at },
        // Exactly 4 h → met (≤ maxDuration).
        {
          eventId: 'j',
          start: t('2024-05-04T10:00:00Z'),
          end: t('2024-05-04T14:00:00Z'),
        },
      ],
      fourHours,
      options,
    );
    // met a, c, j; failed b, f, h.
    expect(result).toEqual({
      met: 3,
      failed: 3,
      counted: 6,
      failedEvents: ['b', 'f', 'h'],
    });
  });

  it('counts a closed event ending exactly at the window start, not at `at`', () => {
    // end = windowStart belongs here; end = at is not closed yet at `at`
    // (1 h open, not failed).
    expect(
      evaluateDurationEvents(
        [
          {
            eventId: 'edge-start',
            start: windowStart - 3_600_000,
            end: windowStart,
          },
          { eventId: 'edge-end', start: at - 3_600_000, end: at },
        ],
        fourHours,
        options,
      ),
    ).toEqual({ met: 1, failed: 0, counted: 1, failedEvents: [] });
  });

  it('fails an open event only once its time is exceeded', () => {
    // Open exactly 4 h at `at`: not exceeded. 1 ms longer: failed.
    const exactly = { eventId: 'x', start: at - 4 * 3_600_000 };
    expect(evaluateDurationEvents([exactly], fourHours, options).counted).toBe(
      0,
    );
    expect(
      evaluateDurationEvents(
        [{ ...exactly, start: exactly.start - 1 }],
        fourHours,
        options,
      ),
    ).toEqual({ met: 0, failed: 1, counted: 1, failedEvents: ['x'] });
  });

  it('places an open event in the window where it failed', () => {
    // Opened April 30 22:00, PT4H → fails May 1 02:00.
    const open = [{ eventId: 'late', start: t('2024-04-30T22:00:00Z') }];
    // April's window, evaluated at its end (May 1 00:00): open 2 h, left out.
    expect(
      evaluateDurationEvents(open, fourHours, {
        excluded: [],
        windowStart: t('2024-04-01T00:00:00Z'),
        at: windowStart,
      }).counted,
    ).toBe(0);
    // May at 02:00 exactly: 4 h, not exceeded yet. At 03:00: failed in May.
    expect(
      evaluateDurationEvents(open, fourHours, {
        ...options,
        at: t('2024-05-01T02:00:00Z'),
      }).counted,
    ).toBe(0);
    expect(
      evaluateDurationEvents(open, fourHours, {
        ...options,
        at: t('2024-05-01T03:00:00Z'),
      }).failedEvents,
    ).toEqual(['late']);
  });

  it('reads a re-sent event with an end as closed', () => {
    // Open for 1 h at `at` → left out; the same event re-sent with an end 30 min
    // after its start (the store keeps the closed version) → met.
    const open = { eventId: 'r', start: at - 3_600_000 };
    expect(evaluateDurationEvents([open], fourHours, options).counted).toBe(0);
    expect(
      evaluateDurationEvents(
        [{ ...open, end: open.start + 1_800_000 }],
        fourHours,
        options,
      ),
    ).toEqual({ met: 1, failed: 0, counted: 1, failedEvents: [] });
  });

  it('filters on the target priority', () => {
    // P1 ≤ PT1H: only p1-ok (30 min, met) and p1-slow (2 h, failed) count.
    const events = [
      {
        eventId: 'p1-ok',
        priority: 'P1',
        start: t('2024-05-02T10:00:00Z'),
        end: t('2024-05-02T10:30:00Z'),
      },
      {
        eventId: 'p1-slow',
        priority: 'P1',
        start: t('2024-05-02T10:00:00Z'),
        end: t('2024-05-02T12:00:00Z'),
      },
      {
        eventId: 'p2',
        priority: 'P2',
        start: t('2024-05-02T10:00:00Z'),
        end: t('2024-05-02T15:00:00Z'),
      },
      {
        eventId: 'none',
        start: t('2024-05-02T10:00:00Z'),
        end: t('2024-05-02T15:00:00Z'),
      },
    ];
    expect(
      evaluateDurationEvents(
        events,
        { maxDuration: 'PT1H', priority: 'P1' },
        options,
      ),
    ).toEqual({ met: 1, failed: 1, counted: 2, failedEvents: ['p1-slow'] });
    // Without a priority every event counts: 30 min met; 2 h, 5 h, 5 h failed.
    expect(
      evaluateDurationEvents(events, { maxDuration: 'PT1H' }, options),
    ).toEqual({
      met: 1,
      failed: 3,
      counted: 4,
      failedEvents: ['p1-slow', 'p2', 'none'],
    });
  });

  it('pauses the clock during maintenance', () => {
    const excluded = [
      { start: t('2024-05-02T11:00:00Z'), end: t('2024-05-02T12:00:00Z') },
      { start: t('2024-05-09T19:00:00Z'), end: t('2024-05-09T22:00:00Z') },
    ];
    expect(
      evaluateDurationEvents(
        [
          // 10:00–15:00 is 5 h of wall time, 4 h without the 11:00–12:00 pause → met.
          {
            eventId: 'paused',
            start: t('2024-05-02T10:00:00Z'),
            end: t('2024-05-02T15:00:00Z'),
          },
          // Open since 18:00: 6 h of wall time at `at`, 3 h without 19:00–22:00 → left out.
          { eventId: 'open', start: t('2024-05-09T18:00:00Z') },
        ],
        fourHours,
        { excluded, windowStart, at },
      ),
    ).toEqual({ met: 1, failed: 0, counted: 1, failedEvents: [] });
  });

  describe('in business time', () => {
    const nineToFive: Array<[string, string]> = [['09:00', '17:00']];
    const calendar: BusinessCalendar = {
      timeZone: 'Europe/Berlin',
      openingHours: {
        mon: nineToFive,
        tue: nineToFive,
        wed: nineToFive,
        thu: nineToFive,
        fri: nineToFive,
      },
    };
    const target = { maxDuration: 'PT4H', calendar };

    it('does not count the weekend', () => {
      // Fri May 3 16:00 CEST (14:00Z) to Mon May 6 11:00 CEST (09:00Z): 67 h of
      // wall time, but 1 h Friday + 2 h Monday = 3 h of business time → met.
      expect(
        evaluateDurationEvents(
          [
            {
              eventId: 'w',
              start: t('2024-05-03T14:00:00Z'),
              end: t('2024-05-06T09:00:00Z'),
            },
          ],
          target,
          { ...options, at },
        ),
      ).toEqual({ met: 1, failed: 0, counted: 1, failedEvents: [] });
      // The same event still open: at Mon 11:00 CEST it has used 3 h → left out;
      // at Mon 13:00 CEST (11:00Z) it failed at 12:00 CEST → counted.
      const open = [{ eventId: 'w', start: t('2024-05-03T14:00:00Z') }];
      expect(
        evaluateDurationEvents(open, target, {
          ...options,
          at: t('2024-05-06T09:00:00Z'),
        }).counted,
      ).toBe(0);
      expect(
        evaluateDurationEvents(open, target, {
          ...options,
          at: t('2024-05-06T11:00:00Z'),
        }).failed,
      ).toBe(1);
    });

    it('puts an event whose time runs out at closing into the window of the next opening', () => {
      // Opened Fri May 31 09:00 CEST, PT8H: 8 h used at 17:00, exceeded only from
      // Mon June 3 09:00 CEST (07:00Z). May's window at its end holds it as not
      // yet failed; June's counts it, so it is never lost between windows.
      const event = [{ eventId: 'm', start: t('2024-05-31T07:00:00Z') }];
      const eightHours = { maxDuration: 'PT8H', calendar };
      const monthly = {
        type: 'calendar',
        unit: 'month',
        timeZone: 'Europe/Berlin',
      } as const;
      const mayEnd = t('2024-05-31T22:00:00Z'); // June 1 00:00 CEST
      // The window holding May's last instant; at its end `at` is June 1 00:00.
      const may = resolveWindow(monthly, mayEnd - 1);
      expect(may.start).toBe(t('2024-04-30T22:00:00Z'));
      expect(
        evaluateDurationEvents(event, eightHours, {
          excluded: [],
          windowStart: may.start,
          at: mayEnd,
        }).counted,
      ).toBe(0);
      const june = resolveWindow(monthly, t('2024-06-03T08:00:00Z'));
      expect(
        evaluateDurationEvents(event, eightHours, {
          excluded: [],
          windowStart: june.start,
          at: june.end,
        }),
      ).toEqual({ met: 0, failed: 1, counted: 1, failedEvents: ['m'] });
    });
  });

  it('counts nothing in an empty window', () => {
    expect(evaluateDurationEvents([], fourHours, options)).toEqual({
      met: 0,
      failed: 0,
      counted: 0,
      failedEvents: [],
    });
  });
});
