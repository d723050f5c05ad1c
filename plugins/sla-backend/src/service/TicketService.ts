import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  Agreement,
  Target,
  TicketClock,
  TicketIngestResult,
  TicketList,
  TicketSli,
  TicketWithClocks,
  slaAgreementReadPermission,
  validateTicketChanges,
} from '@opensla/backstage-plugin-sla-common';
import { durationMs, expandMaintenanceWindows } from '../domain';
import {
  sortTicketChanges,
  ticketClock,
  ticketPriorityAt,
} from '../domain/tickets';
import { AgreementStore } from '../store/AgreementStore';
import { StoredTicket, TicketStore, ticketKey } from '../store/TicketStore';
import { agreementsInForceAt } from './agreementsInForce';
import { EntityAccessGuard } from './EntityAccessGuard';
import { checkBatchPusher, refuseBatch } from './batchInput';
import { PageRequest, encodeCursor } from './pagination';
import { SlaNotifier } from './SlaNotifier';

/** The notification levels: percent of a target's allowed time. */
export const TICKET_NOTICE_LEVELS = [50, 75, 100];
/** Tickets read per batch by the notification run. */
const NOTICE_BATCH = 200;

const iso = (t: number) => new Date(t).toISOString();

/**
 * Ticket SLAs: records state changes (POST /tickets and ticket feeds),
 * answers tickets with their clocks per ticket target in force, and sends
 * the 50/75/100 % notifications.
 */
export class TicketService {
  constructor(
    private readonly options: {
      store: TicketStore;
      agreements: AgreementStore;
      guard: EntityAccessGuard;
      auth: AuthService;
      notifier: SlaNotifier;
      logger: LoggerService;
      clock: () => Date;
      /** After accepted changes: re-evaluate the entities' breaches. */
      onIngested?: (entityRefs: string[], from: number) => Promise<void>;
    },
  ) {}

  /**
   * POST /tickets: validates the whole batch, checks that the entities
   * exist and that the caller may push for each (owners or services),
   * stores it in one transaction (all or nothing).
   */
  async record(
    credentials: BackstageCredentials,
    body: unknown,
  ): Promise<TicketIngestResult> {
    const items = (body as { items?: unknown })?.items;
    const { errors, parsed } = validateTicketChanges(items);
    if (errors.length) refuseBatch(errors);
    const refs = await checkBatchPusher(
      this.options.guard,
      credentials,
      parsed,
    );
    const result = await this.options.store.record(parsed);
    if (result.accepted > 0 && this.options.onIngested) {
      await this.options.onIngested(refs, Math.min(...parsed.map(p => p.at)));
    }
    return result;
  }

  /** The sink of ticket feeds: as POST /tickets, with the plugin's own credentials. */
  async recordFromFeed(items: unknown[]): Promise<TicketIngestResult> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    return this.record(credentials, { items });
  }

  /**
   * GET /tickets: an entity's tickets (open at `at`, or all opened by
   * `at`), oldest first, each with its clocks for the ticket targets in
   * force at `at` that match its priority.
   */
  async list(
    credentials: BackstageCredentials,
    query: { entityRef: string; state?: string; at?: string },
    page: PageRequest,
  ): Promise<TicketList> {
    const at = query.at ? Date.parse(query.at) : this.options.clock().getTime();
    const openOnly = (query.state ?? 'open') === 'open';
    const [, agreements] = await Promise.all([
      this.options.guard.assertAllowed(
        credentials,
        slaAgreementReadPermission,
        query.entityRef,
        undefined,
      ),
      agreementsInForceAt(
        this.options.agreements,
        query.entityRef,
        at,
        this.options.clock().getTime(),
      ),
    ]);
    const items: TicketWithClocks[] = [];
    let after = page.after as [number, string, string] | undefined;
    // Candidates from the store may be closed at `at` (changed later):
    // read on until the page is full.
    for (;;) {
      const batch = await this.options.store.listTickets({
        entityRef: query.entityRef,
        at,
        openAt: openOnly,
        after,
        limit: page.limit + 1,
      });
      const changes = await this.options.store.changesOf(batch);
      for (const ticket of batch) {
        after = [ticket.firstAt, ticket.source, ticket.ticketId];
        const answered = this.withClocks(
          ticket,
          changes.get(ticketKey(ticket)) ?? [],
          agreements,
          at,
        );
        if (!answered) continue;
        if (openOnly && ['resolved', 'closed'].includes(answered.state)) {
          continue;
        }
        items.push(answered);
        if (items.length > page.limit) break;
      }
      if (items.length > page.limit || batch.length <= page.limit) break;
    }
    if (items.length > page.limit) {
      const last = items[page.limit - 1];
      items.length = page.limit;
      return {
        items,
        nextCursor: encodeCursor('tickets', [
          Date.parse(last.openedAt),
          last.source,
          last.ticketId,
        ]),
      };
    }
    return { items };
  }

  /** One ticket's state and clocks at `at`; undefined before it opened. */
  private withClocks(
    ticket: StoredTicket,
    unsorted: Array<{ at: number; state: any; priority?: string }>,
    agreements: Agreement[],
    at: number,
  ): TicketWithClocks | undefined {
    const changes = sortTicketChanges(unsorted).filter(c => c.at <= at);
    if (!changes.length) return undefined;
    const priority = ticketPriorityAt(changes, at);
    const clocks: TicketClock[] = [];
    for (const agreement of agreements) {
      for (const target of agreement.targets) {
        if (target.sli.kind !== 'ticket') continue;
        const sli = target.sli;
        if (sli.priority !== undefined && sli.priority !== priority) continue;
        const clock = clockOf(agreement, target, sli, changes, at);
        if (clock) clocks.push(clock);
      }
    }
    const last = changes[changes.length - 1];
    return {
      source: ticket.source,
      ticketId: ticket.ticketId,
      entityRef: ticket.entityRef,
      ...(ticket.title ? { title: ticket.title } : {}),
      ...(ticket.url ? { url: ticket.url } : {}),
      ...(priority ? { priority } : {}),
      state: last.state,
      openedAt: iso(changes[0].at),
      changedAt: iso(last.at),
      clocks,
    };
  }

  /**
   * Sends the 50/75/100 % notifications of open tickets at `at`: each
   * level once per ticket and target (claimed in the store before sending,
   * so two replicas never both send it). A ticket that passed several
   * levels since the last run gets one notification, of the highest; the
   * lower ones are recorded as passed without a notification of their own.
   */
  async notifyLevels(
    at: number,
    signal?: AbortSignal,
  ): Promise<{ sent: number }> {
    const { store, notifier } = this.options;
    const inForce = new Map<string, Promise<Agreement[]>>();
    const agreementsOf = (ref: string) => {
      let found = inForce.get(ref);
      if (!found) {
        found = agreementsInForceAt(this.options.agreements, ref, at, at);
        inForce.set(ref, found);
      }
      return found;
    };
    let sent = 0;
    let after: { source: string; ticketId: string } | undefined;
    for (;;) {
      if (signal?.aborted) break;
      const batch = await store.openTickets({ after, limit: NOTICE_BATCH });
      if (!batch.length) break;
      const changes = await store.changesOf(batch);
      for (const ticket of batch) {
        const agreements = await agreementsOf(ticket.entityRef);
        const answered = this.withClocks(
          ticket,
          changes.get(ticketKey(ticket)) ?? [],
          agreements,
          at,
        );
        for (const clock of answered?.clocks ?? []) {
          if (clock.clockState === 'stopped') continue;
          const reached = TICKET_NOTICE_LEVELS.filter(
            level => clock.fractionUsed * 100 >= level,
          ).reverse();
          if (!reached.length) continue;
          const claim = (level: number) =>
            store.claimNotice(
              {
                source: ticket.source,
                ticketId: ticket.ticketId,
                agreementId: clock.agreementId,
                targetId: clock.targetId,
                level,
              },
              iso(at),
            );
          // The highest level reached is the one to tell; whoever claims it
          // sends it. Lower levels passed meanwhile are only recorded.
          if (await claim(reached[0])) {
            const agreement = agreements.find(a => a.id === clock.agreementId)!;
            await notifier.notifyTicket(agreement, ticket, clock, reached[0]);
            sent++;
          }
          for (const level of reached.slice(1)) await claim(level);
        }
      }
      const last = batch[batch.length - 1];
      after = { source: last.source, ticketId: last.ticketId };
      if (batch.length < NOTICE_BATCH) break;
    }
    return { sent };
  }
}

function clockOf(
  agreement: Agreement,
  target: Target,
  sli: TicketSli,
  changes: Array<{ at: number; state: any; priority?: string }>,
  at: number,
): TicketClock | undefined {
  const maintenance = expandMaintenanceWindows(
    agreement.maintenanceWindows ?? [],
    changes[0].at,
    at,
    target.calendar?.timeZone,
  );
  const reading = ticketClock(
    changes,
    {
      measure: sli.measure,
      maxDurationMs: durationMs(sli.maxDuration),
      pauseStates: sli.pauseStates,
      calendar: target.calendar,
      maintenance,
    },
    at,
  );
  if (!reading) return undefined;
  return {
    agreementId: agreement.id,
    targetId: target.id,
    targetName: target.name,
    measure: sli.measure,
    elapsedMs: reading.elapsedMs,
    allowedMs: reading.allowedMs,
    fractionUsed:
      reading.allowedMs > 0 ? reading.elapsedMs / reading.allowedMs : 1,
    clockState: reading.clockState,
    ...(reading.pausedIn ? { pausedIn: reading.pausedIn } : {}),
    counting: reading.counting,
    deadline: reading.deadline !== undefined ? iso(reading.deadline) : null,
    breached: reading.breached,
    ...(reading.breachedAt !== undefined
      ? { breachedAt: iso(reading.breachedAt) }
      : {}),
    ...(reading.stoppedAt !== undefined
      ? { stoppedAt: iso(reading.stoppedAt) }
      : {}),
  };
}
