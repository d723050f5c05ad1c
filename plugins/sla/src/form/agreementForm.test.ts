import { validateAgreementInput } from '@opensla/backstage-plugin-sla-common';
import {
  agreementToFormValues,
  emptyAgreementFormValues,
  formFieldPaths,
  formValuesToInput,
  newTargetFormValues,
} from './agreementForm';
import {
  makeAgreement,
  testEntityRef,
} from '../__testUtils__/agreementFixtures';

describe('agreement form values', () => {
  it('round-trips a stored agreement unchanged', () => {
    const agreement = makeAgreement({
      maintenanceWindows: [
        { weekly: { day: 'sun', from: '02:00', to: '04:00' }, timeZone: 'UTC' },
      ],
    });
    agreement.targets[1] = { ...agreement.targets[1], timeslice: 'PT5M' };
    agreement.targets[2] = {
      ...agreement.targets[2],
      calendar: {
        timeZone: 'Europe/Berlin',
        openingHours: { mon: [['09:00', '17:00']] },
      },
    };

    const input = formValuesToInput(agreementToFormValues(agreement));

    expect(input).toEqual({
      kind: agreement.kind,
      scope: agreement.scope,
      entityRef: agreement.entityRef,
      title: agreement.title,
      description: agreement.description,
      customer: agreement.customer,
      provider: agreement.provider,
      validFrom: agreement.validFrom,
      validUntil: agreement.validUntil,
      reviewInterval: agreement.reviewInterval,
      maintenanceWindows: agreement.maintenanceWindows,
      targets: agreement.targets,
      version: 4,
    });
    expect(validateAgreementInput(input, 'update')).toEqual([]);
  });

  it('turns validity dates into UTC day boundaries, through the last day', () => {
    const values = {
      ...emptyAgreementFormValues(testEntityRef),
      title: 'SLA',
      validFrom: '2026-03-01',
      validUntil: '2027-02-28',
    };
    const input = formValuesToInput(values);
    expect(input.validFrom).toBe('2026-03-01T00:00:00.000Z');
    expect(input.validUntil).toBe('2027-02-28T23:59:59.999Z');
    expect(input.status).toBe('requirements');
    expect(input.version).toBeUndefined();
  });

  it('keeps what was typed so that validation names the field', () => {
    const target = {
      ...newTargetFormValues(),
      name: ' Latency ',
      metric: 'latency',
      sliKind: 'threshold' as const,
      threshold: 'fast',
      objective: '',
      windowDuration: 'four weeks',
    };
    const input = formValuesToInput({
      ...emptyAgreementFormValues(testEntityRef),
      title: 'SLA',
      validFrom: 'tomorrow',
      targets: [target],
    });

    expect(input.targets[0].name).toBe('Latency');
    expect(input.targets[0].objective).toBeUndefined();
    const fields = validateAgreementInput(input).map(e => e.field);
    expect(fields).toEqual([
      'validFrom',
      'targets[0].objective',
      'targets[0].sli.threshold',
      'targets[0].window.duration',
    ]);
    // Every one of them has an input in the form.
    const paths = formFieldPaths({
      ...emptyAgreementFormValues(testEntityRef),
      targets: [target],
    });
    expect(fields.every(f => paths.includes(f))).toBe(true);
  });

  it('refuses a timeslice that does not divide an hour, like the backend', () => {
    const target = {
      ...newTargetFormValues(),
      name: 'Latency',
      metric: 'latency',
      sliKind: 'threshold' as const,
      threshold: '300',
      objective: '99',
      timeslice: 'PT7M',
    };
    const values = {
      ...emptyAgreementFormValues(testEntityRef),
      title: 'SLA',
      targets: [target],
    };
    const errors = validateAgreementInput(formValuesToInput(values));
    expect(errors).toEqual([
      {
        field: 'targets[0].timeslice',
        message: expect.stringContaining('divides an hour'),
      },
    ]);
    expect(formFieldPaths(values)).toContain('targets[0].timeslice');
    expect(
      validateAgreementInput(
        formValuesToInput({
          ...values,
          targets: [{ ...target, timeslice: 'PT90S' }],
        }),
      ),
    ).toEqual([]);
  });

  it('leaves empty inputs out so that validation reports them as required', () => {
    const input = formValuesToInput({
      ...emptyAgreementFormValues(testEntityRef),
      title: 'SLA',
      targets: [newTargetFormValues()],
    });
    expect(validateAgreementInput(input)).toEqual([
      { field: 'targets[0].name', message: 'must not be empty' },
      {
        field: 'targets[0].metric',
        message: 'is required (the measurement series name)',
      },
      {
        field: 'targets[0].objective',
        message: 'is required (a percentage, e.g. 99.9)',
      },
    ]);
  });

  it('lists the inputs that the chosen SLI kind and window show', () => {
    const paths = formFieldPaths({
      ...emptyAgreementFormValues(testEntityRef),
      targets: [
        {
          ...newTargetFormValues(),
          sliKind: 'duration',
          windowType: 'calendar',
        },
      ],
    });
    expect(paths).toEqual(
      expect.arrayContaining([
        'status',
        'targets[0].sli.maxDuration',
        'targets[0].sli.priority',
        'targets[0].window.unit',
        'targets[0].window.timeZone',
      ]),
    );
    expect(paths).not.toContain('targets[0].sli.threshold');
    expect(paths).not.toContain('targets[0].window.duration');
  });

  it('gives every new target its own key', () => {
    expect(newTargetFormValues().key).not.toBe(newTargetFormValues().key);
  });
});
