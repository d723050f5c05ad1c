import { useEffect, useState } from 'react';
import { useReloadable } from '../../hooks/useReloadable';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type {
  Agreement,
  TicketClock,
  TicketWithClocks,
} from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../../api';
import { ticketClockView } from '../../lib/ticketClockView';
import { formatDateTime } from '../../lib/formatDates';

/** How often the tickets are read again (the bars tick in between). */
const REFRESH_MS = 60_000;
/** How often the bars tick. */
const TICK_MS = 1_000;

const useStyles = makeStyles((theme: Theme) => ({
  bar: {
    height: 8,
    borderRadius: 4,
    marginBottom: theme.spacing(0.5),
    backgroundColor: theme.palette.action.hover,
  },
  ok: { backgroundColor: theme.palette.success.main },
  half: { backgroundColor: theme.palette.warning.light },
  late: { backgroundColor: theme.palette.warning.dark },
  over: { backgroundColor: theme.palette.error.main },
  clock: { minWidth: 220, marginBottom: theme.spacing(1) },
  paused: { fontStyle: 'italic' },
}));

function ClockBar(props: { clock: TicketClock; sinceMs: number }) {
  const classes = useStyles();
  const { clock } = props;
  const view = ticketClockView(clock, props.sinceMs);
  return (
    <div className={classes.clock} data-testid={`clock-${clock.targetId}`}>
      <Typography variant="caption" color="textSecondary" component="div">
        {clock.targetName}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={view.value}
        aria-label={`Time used of ${clock.targetName}`}
        aria-valuetext={`${Math.round(view.percentUsed)} % used, ${view.label}`}
        classes={{ root: classes.bar, bar: classes[view.tone] }}
      />
      <Typography variant="body2">
        {view.label}
        {view.status && (
          <>
            {' · '}
            <span className={classes.paused}>{view.status}</span>
          </>
        )}
      </Typography>
    </div>
  );
}

/** Whether any agreement has a ticket target (else the section is left out). */
export function hasTicketTargets(agreements: Agreement[]): boolean {
  return agreements.some(a => a.targets.some(t => t.sli.kind === 'ticket'));
}

/**
 * The entity's open tickets with a live time-left bar per ticket target
 * (response, resolution): it ticks in the browser while the clock counts,
 * turns at 50, 75 and 100 % of the allowed time, and shows a paused clock
 * as such (e.g. "paused — waiting on customer"). Read again every minute.
 */
export function OpenTicketsSection(props: { entityRef: string }) {
  const api = useApi(slaApiRef);
  const { value, loading, error, retry } = useReloadable(async () => {
    const list = await api.listTickets({
      entityRef: props.entityRef,
      state: 'open',
    });
    return { items: list.items, readAt: Date.now() };
  }, [api, props.entityRef]);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), TICK_MS);
    const refresh = setInterval(retry, REFRESH_MS);
    return () => {
      clearInterval(tick);
      clearInterval(refresh);
    };
  }, [retry]);

  let content;
  if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (!value) {
    content = loading ? <Progress /> : null;
  } else if (value.items.length === 0) {
    content = (
      <Typography variant="body2" color="textSecondary">
        No open tickets. Tickets arrive through POST /api/sla/tickets or a
        ticket feed (PagerDuty, Opsgenie).
      </Typography>
    );
  } else {
    const sinceMs = Math.max(0, now - value.readAt);
    content = (
      <Table size="small" aria-label="Open tickets">
        <TableHead>
          <TableRow>
            <TableCell>Ticket</TableCell>
            <TableCell>Priority</TableCell>
            <TableCell>State</TableCell>
            <TableCell>Opened</TableCell>
            <TableCell>Time left</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {value.items.map((ticket: TicketWithClocks) => (
            <TableRow key={`${ticket.source}/${ticket.ticketId}`}>
              <TableCell>
                {ticket.url ? (
                  <Link to={ticket.url}>{ticket.ticketId}</Link>
                ) : (
                  ticket.ticketId
                )}
                {ticket.title && (
                  <Typography variant="body2" color="textSecondary">
                    {ticket.title}
                  </Typography>
                )}
              </TableCell>
              <TableCell>{ticket.priority ?? '—'}</TableCell>
              <TableCell>{ticket.state.replace(/-/g, ' ')}</TableCell>
              <TableCell>{formatDateTime(ticket.openedAt)}</TableCell>
              <TableCell>
                {ticket.clocks.length === 0 ? (
                  <Typography variant="body2" color="textSecondary">
                    No ticket target for this priority
                  </Typography>
                ) : (
                  ticket.clocks.map(clock => (
                    <ClockBar
                      key={`${clock.agreementId}/${clock.targetId}`}
                      clock={clock}
                      sinceMs={sinceMs}
                    />
                  ))
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    );
  }
  return (
    <InfoCard title="Open tickets" subheader="Live ticket SLA clocks">
      <Box>{content}</Box>
    </InfoCard>
  );
}
