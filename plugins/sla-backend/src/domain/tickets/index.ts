export type {
  TicketChange,
  TicketClockRule,
  TicketClockReading,
} from './ticketClock';
export {
  ticketClock,
  sortTicketChanges,
  ticketPriorityAt,
} from './ticketClock';
export type { TicketHistory } from './evaluateTickets';
export { evaluateTickets } from './evaluateTickets';
