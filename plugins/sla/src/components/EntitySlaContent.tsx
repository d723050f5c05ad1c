import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import type {
  Agreement,
  AgreementStatus,
} from '@opensla/backstage-plugin-sla-common';
import { useEntityAgreements } from '../hooks/useEntityAgreements';
import { useEntityAttainment } from '../hooks/useEntityAttainment';
import { AttainmentSection } from './attainment/AttainmentSection';
import { BreachTimeline } from './breaches/BreachTimeline';
import { AgreementCard } from './AgreementCard';
import { AgreementEditorDialog } from './AgreementEditorDialog';
import { ViabilitySection } from './viability/ViabilitySection';
import { OpenSloImportDialog } from './openslo/OpenSloImportDialog';
import { OpenSloSourceErrors } from './openslo/OpenSloSourceErrors';
import {
  OpenTicketsSection,
  hasTicketTargets,
} from './tickets/OpenTicketsSection';

/** The annotation naming the entity's OpenSLO files (docs/slos-as-code.md). */
const OPENSLO_ANNOTATION = 'sla/openslo';

/** Agreements in force first, then those being worked on, the ended ones last. */
const DISPLAY_ORDER: AgreementStatus[] = [
  'agreed',
  'under-review',
  'negotiation',
  'draft',
  'requirements',
  'expired',
  'withdrawn',
];

function byDisplayOrder(a: Agreement, b: Agreement): number {
  const rank = (s: AgreementStatus) => DISPLAY_ORDER.indexOf(s);
  return rank(a.status) - rank(b.status) || a.title.localeCompare(b.title);
}

const WHAT_IS_AN_SLA =
  'A service level agreement (SLA) states, as measurable targets, the service levels ' +
  'a provider commits to for its customers, e.g. "99.9 % of requests succeed over a ' +
  'rolling 28 days". Operational level agreements (OLA) do the same with internal ' +
  'teams, underpinning contracts (UC) with suppliers. An agreement starts as the ' +
  "customer's requirements, is drafted, negotiated and agreed, and is reviewed at " +
  'least once a year.';

/** Editor state: closed, creating (no agreement) or editing one. */
type EditorState = { agreement?: Agreement } | undefined;

/**
 * The "Service levels" tab of an entity page: how the targets in force stand
 * now (status, attainment, error budget, burn rates, trend), the breaches of
 * the last 90 days, and every agreement of the entity with its targets in
 * plain words and its history; owners also create, edit and move agreements
 * through their lifecycle here.
 * @public
 */
export function EntitySlaContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const { value, error, retry } = useEntityAgreements(entityRef);
  // Bumped after every change, so that attainment follows the agreements in force.
  const [generation, setGeneration] = useState(0);
  const attainment = useEntityAttainment(entityRef, generation);
  const [editor, setEditor] = useState<EditorState>();
  const [importing, setImporting] = useState(false);
  const hasOpenSloFiles = !!entity.metadata.annotations?.[OPENSLO_ANNOTATION];
  const reload = () => {
    retry();
    setGeneration(g => g + 1);
  };

  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  // Only the first load shows progress; reloads keep the cards (and their messages) on screen.
  if (!value) {
    return <Progress />;
  }

  const { agreements, access } = value;
  const createButton = access.create ? (
    <Box display="flex" style={{ gap: 8 }}>
      <Button variant="outlined" onClick={() => setImporting(true)}>
        Import OpenSLO
      </Button>
      <Button variant="contained" color="primary" onClick={() => setEditor({})}>
        Create agreement
      </Button>
    </Box>
  ) : undefined;

  return (
    <>
      {hasOpenSloFiles && (
        <OpenSloSourceErrors entityRef={entityRef} reloadKey={generation} />
      )}
      {agreements.length === 0 ? (
        <EmptyState
          missing="content"
          title="No service level agreements yet"
          description={
            access.create
              ? WHAT_IS_AN_SLA
              : `${WHAT_IS_AN_SLA} The owners of this entity can create one.`
          }
          action={createButton}
        />
      ) : (
        <>
          <Box mb={3}>
            <AttainmentSection
              entityRef={entityRef}
              agreements={agreements}
              attainment={attainment}
            />
          </Box>
          {hasTicketTargets(agreements) && (
            <Box mb={3}>
              <OpenTicketsSection entityRef={entityRef} />
            </Box>
          )}
          <Box mb={3}>
            <BreachTimeline entityRef={entityRef} agreements={agreements} />
          </Box>
          <Box mb={3}>
            <ViabilitySection
              entityRef={entityRef}
              agreements={agreements}
              reloadKey={generation}
            />
          </Box>
          <Box
            mb={3}
            display="flex"
            alignItems="center"
            justifyContent="space-between"
          >
            <Typography variant="h5" component="h2">
              Service level agreements
            </Typography>
            {createButton}
          </Box>
          {[...agreements].sort(byDisplayOrder).map(agreement => (
            <Box key={agreement.id} mb={3}>
              <AgreementCard
                agreement={agreement}
                canEdit={access.update}
                onEdit={a => setEditor({ agreement: a })}
                onChanged={reload}
              />
            </Box>
          ))}
        </>
      )}
      {agreements.length === 0 && (
        // What the dependencies support, before the first agreement is drafted.
        <Box mt={3}>
          <ViabilitySection entityRef={entityRef} agreements={agreements} />
        </Box>
      )}
      {importing && (
        <OpenSloImportDialog
          entityRef={entityRef}
          onClose={() => setImporting(false)}
          onCreated={() => {
            setImporting(false);
            reload();
          }}
        />
      )}
      {editor && (
        <AgreementEditorDialog
          entityRef={entityRef}
          agreement={editor.agreement}
          onClose={() => setEditor(undefined)}
          onSaved={() => {
            setEditor(undefined);
            reload();
          }}
        />
      )}
    </>
  );
}
