import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  ComplaintState,
  Feedback,
} from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../../api';
import { describeApiError } from '../../lib/describeApiError';
import { FormDialog } from './FormDialog';
import { formatShortDateTime } from '../../lib/formatDates';

const KIND_LABELS: Record<string, string> = {
  survey: 'Survey',
  impromptu: 'Feedback',
  complaint: 'Complaint',
  compliment: 'Compliment',
};

const STATE_LABELS: Record<ComplaintState, string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
};

const NEXT_STATES: Record<ComplaintState, ComplaintState[]> = {
  open: ['open', 'acknowledged', 'resolved'],
  acknowledged: ['acknowledged', 'resolved'],
  resolved: [],
};

function scoreText(f: Feedback) {
  if (f.score === undefined) return '';
  return f.scale === 'nps' ? `${f.score}/10` : `${f.score}/5`;
}

/** Who gave or answered feedback: a link to the user, or "Anonymous". */
function Person(props: { entityRef?: string }) {
  if (!props.entityRef) return <>Anonymous</>;
  if (!props.entityRef.startsWith('user:')) return <>{props.entityRef}</>;
  return <EntityRefLink entityRef={props.entityRef} defaultKind="user" />;
}

function FeedbackItem(props: {
  feedback: Feedback;
  canRespond: boolean;
  onRespond: (f: Feedback) => void;
}) {
  const f = props.feedback;
  return (
    <ListItem alignItems="flex-start" disableGutters divider>
      <ListItemText
        primary={
          <Box
            component="span"
            display="flex"
            flexWrap="wrap"
            style={{ gap: 6 }}
            alignItems="center"
          >
            <Chip
              size="small"
              component="span"
              label={KIND_LABELS[f.kind] ?? f.kind}
            />
            {f.state && (
              <Chip
                size="small"
                component="span"
                variant="outlined"
                color={f.state === 'resolved' ? 'primary' : 'secondary'}
                label={STATE_LABELS[f.state]}
              />
            )}
            {scoreText(f) && <strong>{scoreText(f)}</strong>}
            <span>{f.comment ?? ''}</span>
          </Box>
        }
        secondary={
          <>
            <Person entityRef={f.anonymous ? undefined : f.givenBy} />
            {` · ${formatShortDateTime(f.givenAt)}`}
            {(f.responses ?? []).map((r, i) => (
              <Typography
                key={i}
                variant="body2"
                component="span"
                display="block"
              >
                ↳ <Person entityRef={r.by} /> ({STATE_LABELS[r.state]}):{' '}
                {r.message}
              </Typography>
            ))}
          </>
        }
      />
      {props.canRespond && f.kind === 'complaint' && f.state !== 'resolved' && (
        <Button size="small" onClick={() => props.onRespond(f)}>
          Respond
        </Button>
      )}
    </ListItem>
  );
}

function RespondDialog(props: {
  complaint: Feedback;
  onClose: () => void;
  onDone: () => void;
}) {
  const slaApi = useApi(slaApiRef);
  const from = props.complaint.state ?? 'open';
  const [state, setState] = useState<ComplaintState>(
    from === 'open' ? 'acknowledged' : 'resolved',
  );
  const [message, setMessage] = useState('');
  const submit = async () => {
    await slaApi.respondToComplaint(props.complaint.id, {
      message,
      state,
      version: props.complaint.version,
    });
    props.onDone();
  };
  return (
    <FormDialog
      title="Respond to the complaint"
      submitLabel="Send response"
      onSubmit={submit}
      onClose={props.onClose}
    >
      <Typography variant="body2" gutterBottom>
        “{props.complaint.comment}”
      </Typography>
      <TextField
        fullWidth
        multiline
        minRows={3}
        margin="dense"
        id="sla-complaint-response"
        label="Response"
        value={message}
        onChange={e => setMessage(e.target.value)}
        required
      />
      <TextField
        select
        fullWidth
        margin="dense"
        id="sla-complaint-state"
        label="State"
        value={state}
        onChange={e => setState(e.target.value as ComplaintState)}
      >
        {NEXT_STATES[from].map(s => (
          <MenuItem key={s} value={s}>
            {STATE_LABELS[s]}
          </MenuItem>
        ))}
      </TextField>
    </FormDialog>
  );
}

/**
 * Recent comments, and the complaints and compliments with their state;
 * owners respond to complaints and move them towards resolution.
 */
export function ComplaintsAndComments(props: {
  entityRef: string;
  latest: Feedback[];
  canRespond: boolean;
  reloadKey: number;
  onChanged: () => void;
}) {
  const slaApi = useApi(slaApiRef);
  const [responding, setResponding] = useState<Feedback>();
  // Later pages, loaded on "Load more" (complaints and compliments each
  // follow their own cursor; a reload starts from the first pages again).
  const [more, setMore] = useState<{
    items: Feedback[];
    cursors: Partial<Record<'complaint' | 'compliment', string>>;
    loading?: boolean;
    error?: string;
  }>({ items: [], cursors: {} });
  const loaded = useAsync(async () => {
    const [c, p] = await Promise.all([
      slaApi.listFeedback({
        entityRef: props.entityRef,
        kind: 'complaint',
        limit: 50,
      }),
      slaApi.listFeedback({
        entityRef: props.entityRef,
        kind: 'compliment',
        limit: 20,
      }),
    ]);
    setMore({
      items: [],
      cursors: { complaint: c.nextCursor, compliment: p.nextCursor },
    });
    return [...c.items, ...p.items];
  }, [slaApi, props.entityRef, props.reloadKey]);
  const loadMore = async () => {
    setMore(m => ({ ...m, loading: true, error: undefined }));
    try {
      const kinds = (['complaint', 'compliment'] as const).filter(
        k => more.cursors[k],
      );
      const pages = await Promise.all(
        kinds.map(kind =>
          slaApi.listFeedback({
            entityRef: props.entityRef,
            kind,
            limit: 50,
            cursor: more.cursors[kind],
          }),
        ),
      );
      setMore(m => ({
        items: [...m.items, ...pages.flatMap(page => page.items)],
        cursors: Object.fromEntries(
          kinds.map((k, i) => [k, pages[i].nextCursor]),
        ),
      }));
    } catch (e) {
      setMore(m => ({
        ...m,
        loading: false,
        error: describeApiError(e as Error).message,
      }));
    }
  };
  const hasMore = Boolean(more.cursors.complaint || more.cursors.compliment);
  const complaints = loaded.value && [...loaded.value, ...more.items];
  const loadError = loaded.error && describeApiError(loaded.error).message;
  const comments = props.latest.filter(f => f.comment || f.score !== undefined);
  return (
    <>
      <InfoCard title="Recent feedback">
        {comments.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            No feedback in the last 30 days.
          </Typography>
        ) : (
          <List dense aria-label="Recent feedback">
            {comments.map(f => (
              <FeedbackItem
                key={f.id}
                feedback={f}
                canRespond={false}
                onRespond={() => {}}
              />
            ))}
          </List>
        )}
      </InfoCard>
      <Box mt={3}>
        <InfoCard
          title="Complaints and compliments"
          subheader="Complaints are tracked from open to resolved"
        >
          {loadError && <Typography color="error">{loadError}</Typography>}
          {!complaints && !loadError && (
            <Typography variant="body2" color="textSecondary">
              Loading…
            </Typography>
          )}
          {complaints && complaints.length === 0 && (
            <Typography variant="body2" color="textSecondary">
              No complaints or compliments yet.
            </Typography>
          )}
          {complaints && complaints.length > 0 && (
            <List dense aria-label="Complaints and compliments">
              {complaints.map(f => (
                <FeedbackItem
                  key={f.id}
                  feedback={f}
                  canRespond={props.canRespond}
                  onRespond={setResponding}
                />
              ))}
            </List>
          )}
          {more.error && <Typography color="error">{more.error}</Typography>}
          {complaints && hasMore && (
            <Button
              size="small"
              onClick={loadMore}
              disabled={more.loading}
              aria-label="Load more complaints and compliments"
            >
              {more.loading ? 'Loading…' : 'Load more'}
            </Button>
          )}
        </InfoCard>
      </Box>
      {responding && (
        <RespondDialog
          complaint={responding}
          onClose={() => setResponding(undefined)}
          onDone={() => {
            setResponding(undefined);
            props.onChanged();
          }}
        />
      )}
    </>
  );
}
