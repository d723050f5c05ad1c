import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  InfoCard,
  StatusError,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Agreement,
  Improvement,
  ImprovementPlan,
  ImprovementStatus,
} from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../../api';
import { describeApiError } from '../../lib/describeApiError';
import { formatDate } from '../../lib/formatDates';
import {
  IMPROVEMENT_STATUS_LABELS,
  relativeDays,
  SOURCE_LABELS,
} from './reviewWords';

/** Open initiatives: proposed or in progress. */
export const isOpen = (i: Improvement) =>
  i.status === 'proposed' || i.status === 'in-progress';

/** Open with a due instant not after `now`, as the backend's plan counts it. */
export const isOverdue = (i: Improvement, now: number) =>
  isOpen(i) && Boolean(i.due) && Date.parse(i.due!) <= now;

/** Progress as the plan counts it: done is 100. */
const progressOf = (i: Improvement) =>
  i.status === 'done' ? 100 : i.progress ?? 0;

/** The quick moves a row offers, as the backend allows them. */
const QUICK_MOVES: Array<{
  to: ImprovementStatus;
  label: string;
  from: ImprovementStatus[];
  final: boolean;
}> = [
  { to: 'in-progress', label: 'Start', from: ['proposed'], final: false },
  { to: 'done', label: 'Done', from: ['proposed', 'in-progress'], final: true },
  {
    to: 'cancelled',
    label: 'Cancel',
    from: ['proposed', 'in-progress'],
    final: true,
  },
];

function Owner(props: { owner: string }) {
  try {
    parseEntityRef(props.owner, { defaultKind: 'group' });
    return <EntityRefLink entityRef={props.owner} defaultKind="group" />;
  } catch {
    return <>{props.owner}</>;
  }
}

type Move = { improvement: Improvement; to: ImprovementStatus };

/**
 * The service improvement plan: how many initiatives are open, done and
 * overdue, their mean progress, and each initiative with its source, owner,
 * status, due day (overdue ones marked), progress bar and linked targets.
 * Every reader sees it (consumers follow the progress); owners start
 * initiatives, edit open ones and move them (start, done, cancel). A move is
 * sent with the version the row was read at; a 409 offers a reload.
 */
export function ImprovementPlanCard(props: {
  plan: ImprovementPlan;
  improvements: Improvement[];
  agreements?: Agreement[];
  now?: number;
  canEdit?: boolean;
  onNew?: () => void;
  onEdit?: (improvement: Improvement) => void;
  /** Loads the plan again (after a move, or on Reload after a conflict). */
  onChanged?: () => void;
}) {
  const { plan, improvements, canEdit = false } = props;
  const now = props.now ?? Date.now();
  const slaApi = useApi(slaApiRef);
  const [confirm, setConfirm] = useState<Move>();
  const [moving, setMoving] = useState<string>();
  const [error, setError] = useState<{ message: string; conflict: boolean }>();

  // The agreement's title only where the service has several agreements.
  const severalAgreements = (props.agreements?.length ?? 0) > 1;
  const targetName = (t: { agreementId: string; targetId: string }) => {
    const agreement = props.agreements?.find(a => a.id === t.agreementId);
    const target = agreement?.targets.find(x => x.id === t.targetId);
    if (!target) return t.targetId;
    return severalAgreements
      ? `${agreement!.title}: ${target.name}`
      : target.name;
  };

  const move = async ({ improvement: i, to }: Move) => {
    setConfirm(undefined);
    setError(undefined);
    setMoving(i.id);
    try {
      await slaApi.updateImprovement(i.id, {
        title: i.title,
        ...(i.description ? { description: i.description } : {}),
        source: i.source,
        ...(i.sourceId ? { sourceId: i.sourceId } : {}),
        owner: i.owner,
        status: to,
        ...(i.progress !== undefined ? { progress: i.progress } : {}),
        // Done is done: the bar and the stored progress agree.
        ...(to === 'done' ? { progress: 100 } : {}),
        ...(i.due ? { due: i.due } : {}),
        targets: i.targets,
        version: i.version,
      });
      props.onChanged?.();
    } catch (e) {
      const { status, message } = describeApiError(e);
      setError({ message, conflict: status === 409 });
    } finally {
      setMoving(undefined);
    }
  };

  const columns: TableColumn<Improvement>[] = [
    {
      title: 'Initiative',
      cellStyle: { minWidth: 220 },
      render: i => (
        <Box>
          <Typography variant="body2">
            <strong>{i.title}</strong>
          </Typography>
          {i.description && (
            <Typography variant="caption" color="textSecondary">
              {i.description}
            </Typography>
          )}
        </Box>
      ),
    },
    {
      title: 'Source',
      render: i => (
        <Box>
          <Typography variant="body2">
            {SOURCE_LABELS[i.source] ?? i.source}
          </Typography>
          {i.sourceId && (
            <Typography variant="caption" color="textSecondary">
              {i.sourceId}
            </Typography>
          )}
        </Box>
      ),
    },
    { title: 'Owner', render: i => <Owner owner={i.owner} /> },
    {
      title: 'Status',
      render: i => IMPROVEMENT_STATUS_LABELS[i.status] ?? i.status,
    },
    {
      title: 'Due',
      render: i => {
        if (!i.due) return '–';
        if (!isOverdue(i, now)) return formatDate(i.due);
        return (
          <Box role="group" aria-label={`${i.title} is overdue`}>
            <Typography variant="body2" component="div">
              <StatusError />
              <strong>{formatDate(i.due)}</strong>
            </Typography>
            <Typography variant="caption" color="error">
              Overdue, {relativeDays(i.due, now)}
            </Typography>
          </Box>
        );
      },
    },
    {
      title: 'Progress',
      render: i => (
        <Box minWidth={100}>
          <LinearProgress
            variant="determinate"
            value={progressOf(i)}
            aria-label={`${i.title} progress`}
          />
          <Typography variant="caption">{progressOf(i)} %</Typography>
        </Box>
      ),
    },
    {
      title: 'Targets',
      render: i =>
        i.targets.length === 0 ? (
          '–'
        ) : (
          <Box>
            {i.targets.map(t => (
              <Typography
                key={`${t.agreementId}/${t.targetId}`}
                variant="caption"
                component="div"
              >
                {targetName(t)}
              </Typography>
            ))}
          </Box>
        ),
    },
    ...(canEdit
      ? [
          {
            title: 'Actions',
            render: (i: Improvement) =>
              isOpen(i) ? (
                <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
                  <Button
                    size="small"
                    aria-label={`Edit ${i.title}`}
                    disabled={moving === i.id}
                    onClick={() => props.onEdit?.(i)}
                  >
                    Edit
                  </Button>
                  {QUICK_MOVES.filter(m => m.from.includes(i.status)).map(m => (
                    <Button
                      key={m.to}
                      size="small"
                      color={m.to === 'done' ? 'primary' : 'default'}
                      aria-label={`${m.label} ${i.title}`}
                      disabled={moving === i.id}
                      onClick={() =>
                        m.final
                          ? setConfirm({ improvement: i, to: m.to })
                          : move({ improvement: i, to: m.to })
                      }
                    >
                      {m.label}
                    </Button>
                  ))}
                </Box>
              ) : (
                <Typography variant="caption" color="textSecondary">
                  {i.completedAt ? `Done ${formatDate(i.completedAt)}` : '–'}
                </Typography>
              ),
          } as TableColumn<Improvement>,
        ]
      : []),
  ];

  return (
    <InfoCard
      title="Service improvement plan"
      action={
        canEdit ? (
          <Box mt={1} mr={1}>
            <Button
              variant="outlined"
              color="primary"
              onClick={() => props.onNew?.()}
            >
              New initiative
            </Button>
          </Box>
        ) : undefined
      }
    >
      <Typography variant="body2" gutterBottom>
        {plan.total === 0
          ? 'No improvement initiatives yet.'
          : `${plan.open} open, ${plan.done} done, ${plan.cancelled} cancelled` +
            `${plan.overdue ? `, ${plan.overdue} overdue` : ''}` +
            `${
              plan.progress === null
                ? ''
                : `; mean progress ${Math.round(plan.progress)} %`
            }.`}
      </Typography>
      {plan.progress !== null && (
        <Box mb={2} maxWidth={400}>
          <LinearProgress
            variant="determinate"
            value={plan.progress}
            aria-label="Plan progress"
          />
        </Box>
      )}
      {error && (
        <Box mb={2}>
          <Alert
            severity={error.conflict ? 'warning' : 'error'}
            action={
              error.conflict ? (
                <Button
                  color="inherit"
                  size="small"
                  onClick={() => {
                    setError(undefined);
                    props.onChanged?.();
                  }}
                >
                  Reload
                </Button>
              ) : undefined
            }
          >
            {error.message}
          </Alert>
        </Box>
      )}
      {improvements.length > 0 && (
        <Table
          options={{ paging: false, search: false, toolbar: false }}
          columns={columns}
          data={improvements}
        />
      )}
      {confirm && (
        <Dialog open onClose={() => setConfirm(undefined)} maxWidth="xs">
          <DialogTitle>
            {confirm.to === 'done' ? 'Mark done' : 'Cancel initiative'}:{' '}
            {confirm.improvement.title}
          </DialogTitle>
          <DialogContent>
            <DialogContentText>
              {confirm.to === 'done'
                ? 'The initiative counts as 100 % in the plan.'
                : 'The initiative is left out of the plan’s progress.'}{' '}
              Done and cancelled initiatives cannot be changed afterwards.
            </DialogContentText>
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setConfirm(undefined)}>Back</Button>
            <Button
              color="primary"
              variant="contained"
              onClick={() => move(confirm)}
            >
              {confirm.to === 'done' ? 'Mark done' : 'Cancel initiative'}
            </Button>
          </DialogActions>
        </Dialog>
      )}
    </InfoCard>
  );
}
