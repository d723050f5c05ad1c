import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormLabel from '@material-ui/core/FormLabel';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import { useApi } from '@backstage/core-plugin-api';
import type {
  FeedbackKind,
  FeedbackScale,
  SurveyCampaign,
} from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../../api';
import { FormDialog } from './FormDialog';

const KINDS: Array<[FeedbackKind, string]> = [
  ['impromptu', 'Feedback'],
  ['compliment', 'Compliment'],
  ['complaint', 'Complaint'],
];

const SCORES: Record<FeedbackScale, number[]> = {
  csat: [1, 2, 3, 4, 5],
  nps: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
};

const SCALE_HINT: Record<FeedbackScale, string> = {
  csat: '1 = very dissatisfied, 5 = very satisfied',
  nps: '0 = not at all likely, 10 = extremely likely to recommend',
};

function ScorePicker(props: {
  label: string;
  scale: FeedbackScale;
  value?: number;
  onChange: (score: number) => void;
}) {
  return (
    <FormControl component="fieldset" margin="dense">
      <FormLabel component="legend">{props.label}</FormLabel>
      <ToggleButtonGroup
        exclusive
        size="small"
        value={props.value ?? null}
        onChange={(_e, v) => v !== null && props.onChange(v)}
      >
        {SCORES[props.scale].map(s => (
          <ToggleButton key={s} value={s} aria-label={`${s}`}>
            {s}
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
      <Typography variant="caption" color="textSecondary">
        {SCALE_HINT[props.scale]}
      </Typography>
    </FormControl>
  );
}

/**
 * "Give feedback": a score (CSAT 1–5), a comment and a kind, or the answers
 * to an open survey campaign; optionally anonymous.
 */
export function GiveFeedbackDialog(props: {
  entityRef: string;
  campaigns?: SurveyCampaign[];
  onClose: () => void;
  onGiven: () => void;
}) {
  const slaApi = useApi(slaApiRef);
  const open = (props.campaigns ?? []).filter(c => c.status === 'open');
  const [campaignId, setCampaignId] = useState<string>('');
  const [kind, setKind] = useState<FeedbackKind>('impromptu');
  const [score, setScore] = useState<number | undefined>();
  const [answers, setAnswers] = useState<Record<string, number>>({});
  const [comment, setComment] = useState('');
  const [anonymous, setAnonymous] = useState(false);
  const campaign = open.find(c => c.id === campaignId);

  const submit = async () => {
    await slaApi.giveFeedback({
      entityRef: props.entityRef,
      anonymous,
      ...(comment.trim() ? { comment: comment.trim() } : {}),
      ...(campaign
        ? {
            kind: 'survey',
            campaignId: campaign.id,
            answers: Object.entries(answers).map(([questionId, s]) => ({
              questionId,
              score: s,
            })),
          }
        : { kind, ...(score !== undefined ? { score, scale: 'csat' } : {}) }),
    });
    props.onGiven();
  };

  return (
    <FormDialog
      title="Give feedback"
      submitLabel="Send feedback"
      onSubmit={submit}
      onClose={props.onClose}
    >
      {open.length > 0 && (
        <TextField
          select
          fullWidth
          margin="dense"
          id="sla-feedback-survey"
          label="Survey"
          value={campaignId}
          onChange={e => setCampaignId(e.target.value)}
          helperText="Answer an open survey, or give feedback of your own"
        >
          <MenuItem value="">No survey: my own feedback</MenuItem>
          {open.map(c => (
            <MenuItem key={c.id} value={c.id}>
              {c.title}
            </MenuItem>
          ))}
        </TextField>
      )}
      {campaign ? (
        campaign.questions.map(q => (
          <div key={q.id}>
            <ScorePicker
              label={q.text}
              scale={q.scale}
              value={answers[q.id]}
              onChange={s => setAnswers(a => ({ ...a, [q.id]: s }))}
            />
          </div>
        ))
      ) : (
        <>
          <TextField
            select
            fullWidth
            margin="dense"
            id="sla-feedback-kind"
            label="Kind"
            value={kind}
            onChange={e => setKind(e.target.value as FeedbackKind)}
          >
            {KINDS.map(([value, label]) => (
              <MenuItem key={value} value={value}>
                {label}
              </MenuItem>
            ))}
          </TextField>
          <ScorePicker
            label="How satisfied are you with this service?"
            scale="csat"
            value={score}
            onChange={setScore}
          />
        </>
      )}
      <TextField
        fullWidth
        multiline
        minRows={3}
        margin="dense"
        id="sla-feedback-comment"
        label="Comment"
        value={comment}
        onChange={e => setComment(e.target.value)}
        required={!campaign && kind !== 'impromptu'}
        inputProps={{ maxLength: 2000 }}
      />
      <FormControlLabel
        control={
          <Checkbox
            checked={anonymous}
            onChange={e => setAnonymous(e.target.checked)}
          />
        }
        label="Anonymous (your name is hidden; your answer still counts once)"
      />
    </FormDialog>
  );
}

/** A "Give feedback" button with its dialog. */
export function GiveFeedbackButton(props: {
  entityRef: string;
  campaigns?: SurveyCampaign[];
  onGiven?: () => void;
  variant?: 'contained' | 'outlined' | 'text';
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        variant={props.variant ?? 'contained'}
        color="primary"
        onClick={() => setOpen(true)}
      >
        Give feedback
      </Button>
      {open && (
        <GiveFeedbackDialog
          entityRef={props.entityRef}
          campaigns={props.campaigns}
          onClose={() => setOpen(false)}
          onGiven={() => {
            setOpen(false);
            props.onGiven?.();
          }}
        />
      )}
    </>
  );
}
