import { bob, databases, startSlaBackend } from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const CHECKOUT = 'component:default/checkout';
const DAY = 86_400_000;

/** Every route that takes `at`, with its other required parameters. */
const routes = [
  `/api/sla/attainment?entityRef=${CHECKOUT}`,
  `/api/sla/attainment/timeline?agreementId=a&targetId=t`,
  `/api/sla/blast-radius?entityRef=${CHECKOUT}`,
  `/api/sla/satisfaction?entityRef=${CHECKOUT}`,
  `/api/sla/watermelon?entityRef=${CHECKOUT}`,
  `/api/sla/portfolio?period=P30D`,
  `/api/sla/reports?entityRef=${CHECKOUT}`,
];

describe.each(databases.eachSupportedId())('`at` bounds on %p', databaseId => {
  let backend: Awaited<ReturnType<typeof startSlaBackend>>;

  beforeAll(async () => {
    backend = await startSlaBackend(databaseId);
  });

  it.each(routes)('answers 400 naming at beyond the bounds: %s', async path => {
    for (const [at, why] of [
      ['1999-12-31T23:59:59Z', 'at must not be before 2000-01-01'],
      [
        new Date(Date.now() + 400 * DAY).toISOString(),
        'at must not be more than 366 days after now',
      ],
    ]) {
      const res = await backend.http
        .get(`${path}&at=${encodeURIComponent(at)}`)
        .set('Authorization', bob);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(why);
      expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.ts:\d+/);
    }
  });

  it('answers within the bounds (a year ahead is a what-if)', async () => {
    const at = new Date(Date.now() + 300 * DAY).toISOString();
    const res = await backend.http
      .get(`/api/sla/attainment?entityRef=${CHECKOUT}&at=${at}`)
      .set('Authorization', bob);
    expect(res.status).toBe(200);
    const old = await backend.http
      .get(`/api/sla/attainment?entityRef=${CHECKOUT}&at=2000-01-01T00:00:00Z`)
      .set('Authorization', bob);
    expect(old.status).toBe(200);
  });
});
