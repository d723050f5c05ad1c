import { useState } from 'react';
import Grid from '@material-ui/core/Grid';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Agreement, Improvement, Review } from '@opensla/backstage-plugin-sla-common';
import { useReviews } from '../../hooks/useReviews';
import { HeldReviewsCard } from './HeldReviewsCard';
import { ImprovementDialog, ImprovementPrefill } from './ImprovementDialog';
import { ImprovementPlanCard } from './ImprovementPlanCard';
import { OpenReviewsCard } from './OpenReviewsCard';
import { RecordReviewDialog } from './RecordReviewDialog';
import { ReviewScheduleCard } from './ReviewScheduleCard';

/** The service's owner as a full entity ref: the default owner of a new initiative. */
function ownerOf(entity: Entity): string {
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || !owner) return '';
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
  } catch {
    return owner;
  }
}

/**
 * The "Reviews" tab: each agreement's review schedule (overdue shown as an
 * error), open reviews (e.g. opened by a breach), held reviews with their
 * frozen snapshot, and the service improvement plan. Owners record and hold
 * reviews; a decision moves the agreement through its lifecycle. Owners also
 * start improvement initiatives, edit open ones and move them.
 */
export function EntitySlaReviewsContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const [reloadKey, setReloadKey] = useState(0);
  const reload = () => setReloadKey(k => k + 1);
  const { value, loading, error } = useReviews(entityRef, reloadKey);
  const [dialog, setDialog] = useState<
    { agreement: Agreement; review?: Review } | undefined
  >();
  const [initiative, setInitiative] = useState<
    { improvement?: Improvement; prefill?: ImprovementPrefill } | undefined
  >();
  const now = Date.now();

  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return loading ? <Progress /> : null;

  const canEdit = value.access.update;
  const agreements = value.agreements.filter(a => a.status !== 'withdrawn');
  return (
    <Grid container spacing={3}>
      {loading && (
        <Grid item xs={12}>
          <Progress />
        </Grid>
      )}
      <Grid item xs={12}>
        <ReviewScheduleCard
          agreements={agreements}
          schedules={value.schedules}
          now={now}
          canRecord={canEdit}
          onRecord={agreement => setDialog({ agreement })}
        />
      </Grid>
      <Grid item xs={12}>
        <OpenReviewsCard
          reviews={value.reviews}
          agreements={value.agreements}
          canHold={canEdit}
          onHold={review => {
            const agreement = value.agreements.find(
              a => a.id === review.agreementId,
            );
            if (agreement) setDialog({ agreement, review });
          }}
        />
      </Grid>
      <Grid item xs={12}>
        <HeldReviewsCard
          reviews={value.reviews}
          agreements={value.agreements}
          onCreateInitiative={
            canEdit ? prefill => setInitiative({ prefill }) : undefined
          }
        />
      </Grid>
      <Grid item xs={12}>
        <ImprovementPlanCard
          plan={value.plan}
          improvements={value.improvements}
          agreements={value.agreements}
          now={now}
          canEdit={canEdit}
          onNew={() => setInitiative({})}
          onEdit={i => setInitiative({ improvement: i })}
          onChanged={reload}
        />
      </Grid>
      {initiative && (
        <ImprovementDialog
          entityRef={entityRef}
          defaultOwner={ownerOf(entity)}
          agreements={value.agreements}
          improvement={
            // The latest read (after Reload), so a save sends its version.
            initiative.improvement &&
            (value.improvements.find(
              i => i.id === initiative.improvement!.id,
            ) ??
              initiative.improvement)
          }
          prefill={initiative.prefill}
          onClose={() => setInitiative(undefined)}
          onSaved={() => {
            setInitiative(undefined);
            reload();
          }}
          onReload={reload}
        />
      )}
      {dialog && (
        <RecordReviewDialog
          agreement={dialog.agreement}
          schedule={value.schedules.find(
            s => s.agreementId === dialog.agreement.id,
          )}
          review={dialog.review}
          now={now}
          onClose={() => setDialog(undefined)}
          onSaved={() => {
            setDialog(undefined);
            reload();
          }}
          onReload={reload}
        />
      )}
    </Grid>
  );
}
