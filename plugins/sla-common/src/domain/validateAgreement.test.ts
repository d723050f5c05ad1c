import {
  formatFieldErrors,
  parseFieldErrors,
  validateAgreementInput,
} from './validateAgreement';

const valid = () => ({
  kind: 'SLA',
  entityRef: 'component:default/checkout',
  title: 'Checkout SLA',
  validFrom: '2026-01-01T00:00:00Z',
  validUntil: '2027-01-01T00:00:00+01:00',
  reviewInterval: 'P3M',
  maintenanceWindows: [
    { start: '2026-03-01T02:00:00Z', end: '2026-03-01T04:00:00Z' },
    {
      weekly: { day: 'sun', from: '22:00', to: '24:00' },
      timeZone: 'Europe/Berlin',
    },
  ],
  targets: [
    {
      name: 'Latency',
      aspect: 'performance',
      metric: 'checkout_latency_ms',
      sli: { kind: 'threshold', operator: 'lte', threshold: 300, unit: 'ms' },
      objective: 100,
      window: { type: 'rolling', duration: 'P28D' },
      timeslice: 'PT5M',
    },
    {
      name: 'P2 resolution',
      aspect: 'support',
      metric: 'incidents',
      sli: { kind: 'duration', maxDuration: 'PT4H', priority: 'P2' },
      objective: 90,
      window: { type: 'calendar', unit: 'week', timeZone: 'America/New_York' },
      calendar: {
        timeZone: 'America/New_York',
        openingHours: {
          mon: [
            ['08:00', '12:00'],
            ['13:00', '17:00'],
          ],
        },
        holidays: ['2026-12-25'],
      },
    },
  ],
});

const fields = (input: unknown, mode?: 'create' | 'update') =>
  validateAgreementInput(input, mode).map(e => e.field);

describe('validateAgreementInput', () => {
  it('accepts a complete agreement, including objective 100', () => {
    expect(validateAgreementInput(valid())).toEqual([]);
  });

  it('accepts an agreement with no targets yet (a requirement)', () => {
    expect(validateAgreementInput({ ...valid(), targets: [] })).toEqual([]);
  });

  it('refuses a body that is not an object', () => {
    expect(fields(null)).toEqual(['body']);
    expect(fields([])).toEqual(['body']);
  });

  it('reports every problem at once, each naming its field', () => {
    const input = valid() as any;
    input.kind = 'XLA';
    input.title = '';
    input.targets[0].objective = 0;
    input.targets[1].window.timeZone = 'Nowhere/City';
    expect(fields(input)).toEqual([
      'kind',
      'title',
      'targets[0].objective',
      'targets[1].window.timeZone',
    ]);
  });

  it('needs the version on update', () => {
    expect(fields(valid(), 'update')).toEqual(['version']);
    expect(fields({ ...valid(), version: 0 }, 'update')).toEqual(['version']);
    expect(fields({ ...valid(), version: 3 }, 'update')).toEqual([]);
  });

  it('refuses overlapping opening hours and a timeslice under a minute', () => {
    const input = valid() as any;
    input.targets[1].calendar.openingHours.mon = [
      ['08:00', '12:00'],
      ['11:00', '17:00'],
    ];
    input.targets[0].timeslice = 'PT30S';
    expect(fields(input)).toEqual([
      'targets[0].timeslice',
      'targets[1].calendar.openingHours.mon[1]',
    ]);
  });

  it.each(['PT7M', 'PT45M', 'PT2H', 'P1D', 'PT61S', 'PT1M0.5S', 'P1W'])(
    'refuses a timeslice that does not divide an hour: %s',
    timeslice => {
      const input = valid() as any;
      input.targets[0].timeslice = timeslice;
      expect(validateAgreementInput(input)).toEqual([
        expect.objectContaining({
          field: 'targets[0].timeslice',
          message: expect.stringContaining('divides an hour'),
        }),
      ]);
    },
  );

  it.each([
    'PT1M',
    'PT90S',
    'PT75S',
    'PT2M',
    'PT5M',
    'PT15M',
    'PT0.5H',
    'PT1H',
  ])('accepts a timeslice that divides an hour: %s', timeslice => {
    const input = valid() as any;
    input.targets[0].timeslice = timeslice;
    expect(validateAgreementInput(input)).toEqual([]);
  });

  it('refuses a timeslice on a non-threshold target', () => {
    const input = valid() as any;
    input.targets[1].timeslice = 'PT5M';
    expect(fields(input)).toEqual(['targets[1].timeslice']);
  });

  it('refuses rolling windows longer than 400 days', () => {
    const input = valid() as any;
    input.targets[0].window.duration = 'P2Y';
    expect(fields(input)).toEqual(['targets[0].window.duration']);
  });

  it('refuses a maintenance window that is both one-off and weekly', () => {
    const input = valid() as any;
    input.maintenanceWindows[0].weekly = {
      day: 'mon',
      from: '01:00',
      to: '02:00',
    };
    expect(fields(input)).toEqual(['maintenanceWindows[0]']);
  });

  it('refuses calendar dates that do not exist', () => {
    const input = valid() as any;
    input.targets[1].calendar.holidays = ['2026-02-30'];
    expect(fields(input)).toEqual(['targets[1].calendar.holidays[0]']);
  });

  it('accepts a query template with parameters in a target source', () => {
    const input = valid() as any;
    input.targets[0].source = {
      type: 'prometheus',
      template: 'http-latency.p99',
      parameters: { route: '/checkout', 'job_name.x': 'a"b' },
    };
    expect(fields(input)).toEqual([]);
  });

  it('refuses a malformed template name and parameters, naming each', () => {
    const input = valid() as any;
    input.targets[0].source = {
      type: 'prometheus',
      template: '../etc',
      parameters: { route: '', 'bad name': 'x', count: 3 },
    };
    expect(fields(input)).toEqual([
      'targets[0].source.template',
      'targets[0].source.parameters.route',
      'targets[0].source.parameters.bad name',
      'targets[0].source.parameters.count',
    ]);
    input.targets[0].source.parameters = ['x'];
    input.targets[0].source.template = 'ok';
    expect(fields(input)).toEqual(['targets[0].source.parameters']);
  });

  it('round-trips messages so a form can show them at the field', () => {
    const errors = validateAgreementInput({ ...valid(), kind: 'X', title: '' });
    const message = formatFieldErrors(errors);
    expect(message).toBe(
      'kind must be one of SLA, OLA, UC; title must not be empty',
    );
    expect(parseFieldErrors(message)).toEqual(errors);
    expect(parseFieldErrors('targets[0].metric is required')).toEqual([
      { field: 'targets[0].metric', message: 'is required' },
    ]);
  });
});
