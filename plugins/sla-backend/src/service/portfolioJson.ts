import type { Portfolio } from '@opensla/backstage-plugin-sla-common';

/** JSON text of service summaries, per summary object (they are not mutated). */
const fragments = new WeakMap<object, string>();

/**
 * GET /portfolio's body as JSON text, equal to JSON.stringify(portfolio).
 * PortfolioService hands out the same summary object for a service while
 * its figures hold, so each is serialized once, not on every request: at
 * 10,000 services the whole text is 5.5 MiB, whose serialization was a
 * fifth of the request.
 */
export function portfolioJson(portfolio: Portfolio): string {
  const { items, ...rest } = portfolio;
  const parts = items.map(item => {
    let text = fragments.get(item);
    if (text === undefined) {
      text = JSON.stringify(item);
      fragments.set(item, text);
    }
    return text;
  });
  const others = JSON.stringify(rest);
  return `{"items":[${parts.join(',')}]${
    others === '{}' ? '' : `,${others.slice(1, -1)}`
  }}`;
}
