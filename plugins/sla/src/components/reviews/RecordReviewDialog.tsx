import { useEffect, useId, useState } from 'react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/core-plugin-api';
import {
  Agreement,
  FieldError,
  Review,
  ReviewDecisionType,
  ReviewInput,
  ReviewKind,
  ReviewSchedule,
} from '@opensla/backstage-plugin-sla-common';
import { DateTime } from 'luxon';
import { slaApiRef } from '../../api';
import { useApiForm } from '../../form/useApiForm';
import { formatDate } from '../../lib/formatDates';
import { FieldTextField } from '../FieldTextField';
import { FormDialogShell } from '../FormDialogShell';
import { isViabilityRefusal } from '../viability/ViabilityOverrideDialog';
import {
  DECISION_HINTS,
  describeInterval,
  fromDateInput,
  REVIEW_KIND_LABELS,
  toDateInput,
} from './reviewWords';

const DAY = 86_400_000;
const MAX_PERIOD_DAYS = 400;
const INTERVALS = ['P1M', 'P2M', 'P3M'];

/** The inputs of the form; field errors are placed by these paths. */
const FIELD_PATHS = [
  'kind',
  'period',
  'period.start',
  'period.end',
  'participants',
  'minutes',
  'decision.type',
  'decision.validUntil',
  'decision.comment',
  'decision.viabilityOverride',
  'decision.viabilityOverride.reason',
  'actions',
  'serviceReviewInterval',
];

/** `participants[2]` and `actions[0].title` belong to their list's input. */
const toListField = (e: FieldError): FieldError => ({
  ...e,
  field: e.field.replace(/^(participants|actions)\[\d+\].*$/, '$1'),
});

const lines = (text: string) =>
  text
    .split(/\n|,(?![^(]*\))/)
    .map(s => s.trim())
    .filter(Boolean);

type Values = {
  kind: ReviewKind;
  from: string;
  to: string;
  participants: string;
  minutes: string;
  decision: ReviewDecisionType | '';
  validUntil: string;
  comment: string;
  /** Why a prolongation is agreed although a target is not viable. */
  overrideReason: string;
  actions: string;
  interval: string;
};

/**
 * The reviewed period by default: since the last review (or since the
 * agreement was agreed), at most 400 days, up to today.
 */
function defaultFrom(
  agreement: Agreement,
  schedule: ReviewSchedule | undefined,
  now: number,
) {
  const since = schedule?.lastReviewAt ?? agreement.agreedAt;
  const start = since ? Date.parse(since) : now - 30 * DAY;
  return toDateInput(Math.max(start, now - (MAX_PERIOD_DAYS - 1) * DAY));
}

/** Which decisions the agreement's status allows (domain/reviews/decisions.ts). */
function allowedDecisions(agreement: Agreement): ReviewDecisionType[] {
  const inForce =
    agreement.status === 'agreed' || agreement.status === 'under-review';
  return [
    ...(inForce ? (['prolong', 'amend'] as const) : []),
    ...(agreement.status !== 'withdrawn' ? (['withdraw'] as const) : []),
  ];
}

/**
 * Records a held review of `agreement` (or holds the open `review`): the
 * period, who took part, the minutes, the decision that moves the agreement
 * through its lifecycle, the actions agreed and when the next service review
 * is due. The backend's 400 messages are shown at their fields; a 409 (the
 * review or agreement changed meanwhile) offers a reload.
 */
export function RecordReviewDialog(props: {
  agreement: Agreement;
  schedule?: ReviewSchedule;
  /** An open review to hold, instead of recording a new one. */
  review?: Review;
  now: number;
  onClose: () => void;
  onSaved: (review: Review) => void;
  /** Loads the latest agreement and reviews; the form keeps its input. */
  onReload: () => void;
}) {
  const { agreement, schedule, review, now, onClose, onSaved, onReload } =
    props;
  const slaApi = useApi(slaApiRef);
  const idPrefix = `sla-review${useId().replace(/:/g, '')}`;
  const [values, setValues] = useState<Values>(() => ({
    kind: review?.kind ?? 'service',
    from: defaultFrom(agreement, schedule, now),
    to: toDateInput(now),
    participants: review?.participants.join('\n') ?? '',
    minutes: review?.minutes ?? '',
    decision: '',
    validUntil: '',
    comment: '',
    overrideReason: '',
    actions: review?.actions.map(a => a.title).join('\n') ?? '',
    interval: schedule?.serviceReviewInterval ?? 'P1M',
  }));
  const form = useApiForm(FIELD_PATHS, toListField);
  const errors = form.placed.byField;
  const common = { errors, idPrefix };
  const update = (patch: Partial<Values>) =>
    setValues(current => ({ ...current, ...patch }));
  const decisions = allowedDecisions(agreement);
  // The backend refused to re-agree a target that is not viable (409): the
  // owner may give a reason and agree anyway, as with a transition.
  const [notViable, setNotViable] = useState<string>();
  const prolonging = values.decision === 'prolong';
  useEffect(() => {
    if (form.conflict && isViabilityRefusal(409, form.conflict)) {
      setNotViable(form.conflict);
    }
  }, [form.conflict]);
  const overriding = prolonging && Boolean(notViable);

  const periodEnd = () => {
    const start = fromDateInput(values.to);
    if (!start) return values.to;
    const endOfDay = Date.parse(start) + DAY;
    // A period that ends today ends now: data after now does not exist yet.
    return new Date(Math.min(endOfDay, now)).toISOString();
  };

  const body = (): Omit<ReviewInput, 'agreementId' | 'kind'> => ({
    status: 'held',
    period: {
      start: fromDateInput(values.from) ?? values.from,
      end: periodEnd(),
    },
    participants: lines(values.participants),
    ...(values.minutes.trim() ? { minutes: values.minutes.trim() } : {}),
    ...(values.decision
      ? {
          decision: {
            type: values.decision,
            ...(values.decision === 'prolong' && values.validUntil
              ? {
                  validUntil: DateTime.fromISO(values.validUntil, {
                    zone: 'utc',
                  })
                    .endOf('day')
                    .toISO()!,
                }
              : {}),
            ...(values.comment.trim()
              ? { comment: values.comment.trim() }
              : {}),
            ...(overriding && values.overrideReason.trim()
              ? {
                  viabilityOverride: { reason: values.overrideReason.trim() },
                }
              : {}),
          },
        }
      : {}),
    actions: values.actions
      .split('\n')
      .map(s => s.trim())
      .filter(Boolean)
      .map(title => ({ title })),
    serviceReviewInterval: values.interval,
  });

  const submit = () =>
    form.run(async () => {
      const saved = review
        ? await slaApi.updateReview(review.id, {
            ...body(),
            version: review.version,
          })
        : await slaApi.createReview({
            agreementId: agreement.id,
            kind: values.kind,
            ...body(),
          });
      onSaved(saved);
    });

  const title = review
    ? `Hold ${REVIEW_KIND_LABELS[review.kind].toLowerCase()}`
    : 'Record review';
  return (
    <FormDialogShell
      idPrefix={idPrefix}
      title={`${title}: ${agreement.title}`}
      form={form}
      submitLabel={review ? 'Hold review' : 'Record review'}
      onSubmit={submit}
      onClose={onClose}
      onReload={onReload}
      conflictHint={
        overriding
          ? 'Give a reason below to prolong it anyway, or choose another decision.'
          : 'Reload to see the latest agreement and reviews; your input stays in the form.'
      }
      intro={
        review?.reason && (
          <Box mb={2}>
            <Alert severity="info">Opened for: {review.reason}</Alert>
          </Box>
        )
      }
    >
      <Grid container spacing={2}>
        <Grid item xs={12} sm={4}>
          <FieldTextField
            {...common}
            path="kind"
            label="Review of"
            select
            disabled={Boolean(review)}
            value={values.kind}
            onChange={e => update({ kind: e.target.value as ReviewKind })}
          >
            <option value="service">Service performance</option>
            <option value="agreement">The agreement itself</option>
            <option value="event">An event (incident, breach, change)</option>
          </FieldTextField>
        </Grid>
        <Grid item xs={6} sm={4}>
          <FieldTextField
            {...common}
            path="period.start"
            label="Period from"
            type="date"
            InputLabelProps={{ shrink: true }}
            hint={errors.period ? undefined : 'Since the last review'}
            value={values.from}
            onChange={e => update({ from: e.target.value })}
          />
        </Grid>
        <Grid item xs={6} sm={4}>
          <FieldTextField
            {...common}
            path="period.end"
            label="Period to"
            type="date"
            InputLabelProps={{ shrink: true }}
            hint="Through the end of that day (UTC)"
            value={values.to}
            onChange={e => update({ to: e.target.value })}
          />
        </Grid>
        {errors.period && (
          <Grid item xs={12}>
            <Alert severity="error">period {errors.period}</Alert>
          </Grid>
        )}
        <Grid item xs={12}>
          <FieldTextField
            {...common}
            path="participants"
            label="Participants"
            required
            multiline
            minRows={2}
            hint="One per line, e.g. user:default/jane or Store Operations (customer)"
            value={values.participants}
            onChange={e => update({ participants: e.target.value })}
          />
        </Grid>
        <Grid item xs={12}>
          <FieldTextField
            {...common}
            path="minutes"
            label="Minutes"
            multiline
            minRows={3}
            value={values.minutes}
            onChange={e => update({ minutes: e.target.value })}
          />
        </Grid>
        <Grid item xs={12} sm={6}>
          <FieldTextField
            {...common}
            path="decision.type"
            label="Decision"
            select
            hint={DECISION_HINTS[values.decision || 'none']}
            value={values.decision}
            onChange={e =>
              update({
                decision: e.target.value as Values['decision'],
              })
            }
          >
            <option value="">No decision</option>
            <option value="prolong" disabled={!decisions.includes('prolong')}>
              Prolong the agreement
            </option>
            <option value="amend" disabled={!decisions.includes('amend')}>
              Amend: renegotiate the terms
            </option>
            <option value="withdraw" disabled={!decisions.includes('withdraw')}>
              Withdraw the agreement
            </option>
          </FieldTextField>
        </Grid>
        <Grid item xs={12} sm={6}>
          {values.decision === 'prolong' && (
            <FieldTextField
              {...common}
              path="decision.validUntil"
              label="Valid until"
              type="date"
              InputLabelProps={{ shrink: true }}
              hint={
                agreement.validUntil
                  ? `Now until ${formatDate(
                      agreement.validUntil,
                    )}; empty keeps it`
                  : 'Empty keeps it open-ended'
              }
              value={values.validUntil}
              onChange={e => update({ validUntil: e.target.value })}
            />
          )}
        </Grid>
        {overriding && (
          <Grid item xs={12}>
            <FieldTextField
              {...common}
              path="decision.viabilityOverride.reason"
              label="Reason to prolong although not viable"
              required
              multiline
              hint="E.g. the plan to strengthen the weakest link; kept in the agreement's history"
              value={values.overrideReason}
              onChange={e => update({ overrideReason: e.target.value })}
            />
          </Grid>
        )}
        {values.decision && (
          <Grid item xs={12}>
            <FieldTextField
              {...common}
              path="decision.comment"
              label="Why"
              hint="Recorded in the agreement's history"
              value={values.comment}
              onChange={e => update({ comment: e.target.value })}
            />
          </Grid>
        )}
        <Grid item xs={12}>
          <FieldTextField
            {...common}
            path="actions"
            label="Actions"
            multiline
            minRows={2}
            hint="One per line; track larger ones as improvement initiatives"
            value={values.actions}
            onChange={e => update({ actions: e.target.value })}
          />
        </Grid>
        <Grid item xs={12} sm={6}>
          <FieldTextField
            {...common}
            path="serviceReviewInterval"
            label="Next service review"
            select
            value={values.interval}
            onChange={e => update({ interval: e.target.value })}
          >
            {[
              ...INTERVALS,
              ...(INTERVALS.includes(values.interval) ? [] : [values.interval]),
            ].map(i => (
              <option key={i} value={i}>
                {describeInterval(i)}
              </option>
            ))}
          </FieldTextField>
        </Grid>
      </Grid>
    </FormDialogShell>
  );
}
