import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { DateTime } from 'luxon';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type {
  FeedbackScale,
  SurveyCampaign,
} from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../../api';
import { describeApiError } from '../../lib/describeApiError';
import { FormDialog } from './FormDialog';
import { formatShortDateTime } from '../../lib/formatDates';

type QuestionDraft = { text: string; scale: FeedbackScale };

function OpenCampaignDialog(props: {
  entityRef: string;
  onClose: () => void;
  onOpened: () => void;
}) {
  const slaApi = useApi(slaApiRef);
  const [title, setTitle] = useState('');
  const [days, setDays] = useState('14');
  const [questions, setQuestions] = useState<QuestionDraft[]>([
    { text: 'How satisfied are you with this service?', scale: 'csat' },
  ]);
  const setQuestion = (i: number, q: Partial<QuestionDraft>) =>
    setQuestions(qs => qs.map((x, j) => (j === i ? { ...x, ...q } : x)));
  const submit = async () => {
    await slaApi.openCampaign({
      entityRef: props.entityRef,
      title,
      questions,
      end:
        DateTime.utc()
          .plus({ days: Number(days) || 0 })
          .toISO() ?? '',
    });
    props.onOpened();
  };
  return (
    <FormDialog
      title="Open a survey campaign"
      submitLabel="Open campaign"
      onSubmit={submit}
      onClose={props.onClose}
    >
      <TextField
        fullWidth
        margin="dense"
        id="sla-campaign-title"
        label="Title"
        value={title}
        onChange={e => setTitle(e.target.value)}
        required
      />
      <TextField
        fullWidth
        margin="dense"
        type="number"
        id="sla-campaign-days"
        label="Open for (days)"
        value={days}
        onChange={e => setDays(e.target.value)}
      />
      {questions.map((q, i) => (
        <Box key={i} display="flex" style={{ gap: 8 }}>
          <TextField
            fullWidth
            margin="dense"
            label={
              i === 0 ? 'Question 1 (the headline score)' : `Question ${i + 1}`
            }
            value={q.text}
            onChange={e => setQuestion(i, { text: e.target.value })}
          />
          <TextField
            select
            margin="dense"
            id={`sla-campaign-scale-${i}`}
            label="Scale"
            value={q.scale}
            onChange={e =>
              setQuestion(i, { scale: e.target.value as FeedbackScale })
            }
          >
            <MenuItem value="csat">CSAT 1–5</MenuItem>
            <MenuItem value="nps">NPS 0–10</MenuItem>
          </TextField>
        </Box>
      ))}
      <Button
        size="small"
        onClick={() => setQuestions(qs => [...qs, { text: '', scale: 'nps' }])}
      >
        Add a question
      </Button>
    </FormDialog>
  );
}

/** The entity's survey campaigns; owners open and close them. */
export function CampaignsSection(props: {
  entityRef: string;
  campaigns: SurveyCampaign[];
  canManage: boolean;
  onChanged: () => void;
}) {
  const slaApi = useApi(slaApiRef);
  const [opening, setOpening] = useState(false);
  const [error, setError] = useState<string>();
  const close = async (c: SurveyCampaign) => {
    setError(undefined);
    try {
      await slaApi.closeCampaign(c.id, c.version);
      props.onChanged();
    } catch (e) {
      setError(describeApiError(e).message);
    }
  };
  return (
    <InfoCard
      title="Survey campaigns"
      action={
        props.canManage ? (
          <Button color="primary" onClick={() => setOpening(true)}>
            Open campaign
          </Button>
        ) : undefined
      }
    >
      {error && <Typography color="error">{error}</Typography>}
      {props.campaigns.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No survey campaigns yet.
          {props.canManage &&
            ' Open one to ask users a question set for a period.'}
        </Typography>
      ) : (
        <List dense aria-label="Survey campaigns">
          {props.campaigns.map(c => (
            <ListItem key={c.id} disableGutters divider>
              <ListItemText
                primary={
                  <Box
                    component="span"
                    display="flex"
                    style={{ gap: 6 }}
                    alignItems="center"
                  >
                    {c.title}
                    <Chip
                      size="small"
                      component="span"
                      label={c.status === 'open' ? 'Open' : 'Closed'}
                    />
                  </Box>
                }
                secondary={`${
                  c.questions.length
                } question(s) · ${formatShortDateTime(
                  c.start,
                )} to ${formatShortDateTime(c.closedAt ?? c.end)}`}
              />
              {props.canManage && c.status === 'open' && (
                <Button size="small" onClick={() => close(c)}>
                  Close
                </Button>
              )}
            </ListItem>
          ))}
        </List>
      )}
      {opening && (
        <OpenCampaignDialog
          entityRef={props.entityRef}
          onClose={() => setOpening(false)}
          onOpened={() => {
            setOpening(false);
            props.onChanged();
          }}
        />
      )}
    </InfoCard>
  );
}
