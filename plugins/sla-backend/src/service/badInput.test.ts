import fc from 'fast-check';
import {
  parseFullEntityRef,
  parseInstant,
} from '@opensla/backstage-plugin-sla-common';
import {
  alice,
  bob,
  databases,
  service,
  startSlaBackend,
  validAgreement,
} from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const CHECKOUT = 'component:default/checkout';
const SEED = 20261202;
const RUNS = 320;

/** A request that must be refused, and what its message must name. */
type BadRequest = {
  method: 'get' | 'post' | 'put';
  path: string;
  body?: unknown;
  /** The field or reason the message names; undefined: any message. */
  names?: string;
};

const q = encodeURIComponent;

function expect201(res: { status: number; body: unknown }) {
  if (res.status !== 201) {
    throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  }
}

/** Strings that are not entity refs (the one parser decides). */
const badRef = fc
  .oneof(
    fc.constantFrom(
      'not-a-ref',
      'checkout',
      'component:',
      ':default/checkout',
      'component:default/',
      'component:default/a/b',
      'a:b:c',
      '',
      ' ',
      'component:/x',
    ),
    fc.string({ maxLength: 24 }),
    fc
      .tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }))
      .map(([a, b]) => `${a}/${b}`),
  )
  .filter(s => parseFullEntityRef(s) === undefined);

/** Instants that do not exist or are not instants. */
const impossibleDate = fc
  .record({
    year: fc.integer({ min: 1971, max: 2199 }),
    monthDay: fc.constantFrom<[number, number]>(
      [2, 30],
      [2, 31],
      [4, 31],
      [6, 31],
      [9, 31],
      [11, 31],
      [13, 1],
      [0, 10],
      [5, 0],
      [5, 32],
    ),
    hour: fc.integer({ min: 0, max: 23 }),
  })
  .map(
    ({ year, monthDay: [m, d], hour }) =>
      `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(
        2,
        '0',
      )}T${String(hour).padStart(2, '0')}:00:00Z`,
  );
const badInstant = fc
  .oneof(
    impossibleDate,
    fc
      .integer({ min: 1971, max: 2199 })
      .map(y => `${y % 4 ? y : y + 1}-02-29T00:00:00Z`),
    fc.constantFrom(
      'yesterday',
      '2026-06-01',
      '2026-06-01T00:00:00',
      '2026-06-01T24:30:00Z',
      '2026-06-01T12:61:00Z',
      '2026-06-01 12:00:00Z',
      '1717200000000',
      '',
    ),
    fc.string({ maxLength: 24 }),
  )
  .filter(s => parseInstant(s) === undefined);

/** ISO durations that are not a supported timeslice. */
const badTimeslice = fc.oneof(
  fc.constantFrom('PT7M', 'PT45M', 'PT2H', 'P1D', 'PT30S', 'P1M', 'PT1M0.5S'),
  fc
    .integer({ min: 1, max: 7200 })
    .filter(s => s < 60 || s > 3600 || 3600 % s !== 0)
    .map(s => `PT${s}S`),
);

const notANumber = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 2 }),
);

describe.each(databases.eachSupportedId())(
  'generated bad input on %p',
  databaseId => {
    it(`refuses ${RUNS} generated bad requests with 4xx naming the field, changing nothing`, async () => {
      const { http } = await startSlaBackend(databaseId);
      const as = (who: string, r: BadRequest) => {
        const req = (http as any)
          [r.method](`/api/sla${r.path}`)
          .set('Authorization', who);
        return r.body === undefined ? req : req.send(r.body);
      };

      // Something of every kind to refer to (and to see unchanged).
      const agreementBody = validAgreement({
        targets: [
          {
            id: 'latency',
            name: 'Latency',
            aspect: 'performance',
            metric: 'latency_ms',
            sli: { kind: 'threshold', operator: 'lte', threshold: 300 },
            objective: 99,
            timeslice: 'PT5M',
            window: { type: 'rolling', duration: 'P28D' },
          },
        ],
      });
      const created = await as(alice, {
        method: 'post',
        path: '/agreements',
        body: agreementBody,
      });
      expect201(created);
      const agreement = created.body;
      const ingest = await as(service, {
        method: 'post',
        path: '/measurements',
        body: {
          items: [0, 1, 2].map(i => ({
            entityRef: CHECKOUT,
            metric: 'latency_ms',
            timestamp: new Date(Date.now() - i * 60_000).toISOString(),
            value: 100 + i,
          })),
        },
      });
      expect(ingest.status).toBe(200);
      const improvement = await as(alice, {
        method: 'post',
        path: '/improvements',
        body: {
          entityRef: CHECKOUT,
          title: 'Faster P1',
          source: 'review',
          owner: 'user:default/alice',
          due: '2020-01-01T00:00:00Z',
        },
      });
      expect201(improvement);
      const review = await as(alice, {
        method: 'post',
        path: '/reviews',
        body: {
          agreementId: agreement.id,
          period: {
            start: new Date(Date.now() - 30 * 86_400_000).toISOString(),
            end: new Date().toISOString(),
          },
          participants: ['user:default/alice'],
          minutes: 'Fine.',
        },
      });
      expect201(review);
      const feedback = await as(bob, {
        method: 'post',
        path: '/feedback',
        body: {
          entityRef: CHECKOUT,
          kind: 'complaint',
          comment: 'Slow',
        },
      });
      expect201(feedback);
      const campaign = await as(alice, {
        method: 'post',
        path: '/campaigns',
        body: {
          entityRef: CHECKOUT,
          title: 'Survey',
          questions: [{ text: 'Happy?', scale: 'csat' }],
          end: new Date(Date.now() + 86_400_000).toISOString(),
        },
      });
      expect201(campaign);

      const at = new Date().toISOString();
      const readBack = async () => {
        const paths = [
          `/agreements?entityRef=${q(CHECKOUT)}`,
          `/agreements/${agreement.id}/history`,
          `/attainment?entityRef=${q(CHECKOUT)}&at=${q(at)}`,
          `/feedback?entityRef=${q(CHECKOUT)}`,
          `/reviews?entityRef=${q(CHECKOUT)}`,
          `/improvements?entityRef=${q(CHECKOUT)}`,
          `/campaigns?entityRef=${q(CHECKOUT)}`,
          `/reports/published?entityRef=${q(CHECKOUT)}`,
        ];
        const answers = [];
        for (const path of paths) {
          const res = await as(bob, { method: 'get', path });
          expect(res.status).toBe(200);
          answers.push(res.body);
        }
        return answers;
      };
      const before = await readBack();

      const withField = <T>(
        arb: fc.Arbitrary<T>,
        build: (value: T) => BadRequest,
      ) => arb.map(build);
      const agreementWith = (patch: (a: any) => void) => {
        const body = structuredClone({ ...agreementBody });
        patch(body);
        return body;
      };
      const put = (patch: (a: any) => void) => {
        const body = structuredClone(agreement);
        patch(body);
        return body;
      };
      const measurement = (patch: Record<string, unknown>) => ({
        items: [
          {
            entityRef: CHECKOUT,
            metric: 'latency_ms',
            timestamp: at,
            value: 1,
            ...patch,
          },
        ],
      });

      const queryRoutes: Array<[string, string[]]> = [
        ['/agreements', []],
        ['/attainment', ['at']],
        ['/attainment/timeline', []],
        ['/breaches', ['from', 'to']],
        ['/access', []],
        ['/viability', []],
        ['/blast-radius', ['at']],
        ['/feedback', []],
        ['/campaigns', []],
        ['/satisfaction', ['at']],
        ['/watermelon', ['at']],
        ['/reviews', []],
        ['/improvements', []],
        ['/reports', ['at']],
        ['/reports/published', []],
      ];
      const requests: fc.Arbitrary<BadRequest> = fc.oneof(
        // Query strings: a malformed entity ref on every route that takes one
        fc
          .tuple(fc.constantFrom(...queryRoutes.map(r => r[0])), badRef)
          .map(([route, ref]) => ({
            method: 'get' as const,
            path: `${route}?entityRef=${q(ref)}`,
            names: 'entityRef',
          })),
        // ... and an instant that does not exist, with a good entity ref
        fc
          .tuple(
            fc.constantFrom(
              ...queryRoutes.flatMap(([route, fields]) =>
                fields.map(field => [route, field] as const),
              ),
              ['/portfolio', 'at'] as const,
              ['/attainment/timeline', 'at'] as const,
              ['/reports', 'from'] as const,
              ['/reports', 'to'] as const,
            ),
            badInstant,
          )
          .map(([[route, field], value]) => ({
            method: 'get' as const,
            path:
              route === '/attainment/timeline'
                ? `${route}?agreementId=${
                    agreement.id
                  }&targetId=latency&${field}=${q(value)}`
                : `${route}?entityRef=${q(CHECKOUT)}&${field}=${q(value)}`,
            names: field,
          })),
        fc
          .tuple(
            fc.constantFrom('/viability', '/blast-radius'),
            fc
              .string({ maxLength: 6 })
              .filter(s => !/^\s*-?[\d.]+\s*$/.test(s)),
          )
          .filter(([route]) => route === '/viability')
          .map(([route, objective]) => ({
            method: 'get' as const,
            path: `${route}?entityRef=${q(CHECKOUT)}&objective=${q(objective)}`,
            names: 'objective',
          })),
        // Agreements: one bad field in an otherwise valid body
        withField(badRef, ref => ({
          method: 'post',
          path: '/agreements',
          body: agreementWith(a => {
            a.entityRef = ref;
          }),
          names: 'entityRef',
        })),
        withField(badTimeslice, timeslice => ({
          method: 'post',
          path: '/agreements',
          body: agreementWith(a => {
            a.targets[0].timeslice = timeslice;
          }),
          names: 'targets[0].timeslice',
        })),
        withField(
          fc.oneof(
            fc.double({ max: 0, noNaN: true }),
            fc.double({ min: 100.0001, noNaN: true }),
            notANumber,
          ),
          objective => ({
            method: 'post',
            path: '/agreements',
            body: agreementWith(a => {
              a.targets[0].objective = objective;
            }),
            names: 'targets[0].objective',
          }),
        ),
        withField(badInstant, validFrom => ({
          method: 'post',
          path: '/agreements',
          body: agreementWith(a => {
            a.validFrom = validFrom;
          }),
          names: 'validFrom',
        })),
        withField(
          fc
            .string({ maxLength: 12 })
            .filter(s => !['SLA', 'OLA', 'UC'].includes(s)),
          kind => ({
            method: 'post',
            path: '/agreements',
            body: agreementWith(a => {
              a.kind = kind;
            }),
            names: 'kind',
          }),
        ),
        withField(badTimeslice, timeslice => ({
          method: 'put',
          path: `/agreements/${agreement.id}`,
          body: put(a => {
            a.targets[0].timeslice = timeslice;
          }),
          names: 'targets[0].timeslice',
        })),
        withField(badInstant, validUntil => ({
          method: 'put',
          path: `/agreements/${agreement.id}`,
          body: put(a => {
            a.validUntil = validUntil;
          }),
          names: 'validUntil',
        })),
        withField(
          fc
            .string({ maxLength: 12 })
            .filter(s => !['draft', 'negotiation'].includes(s)),
          to => ({
            method: 'post',
            path: `/agreements/${agreement.id}/transitions`,
            body: { to },
            names: 'to',
          }),
        ),
        // Measurements
        withField(badRef, ref => ({
          method: 'post',
          path: '/measurements',
          body: measurement({ entityRef: ref }),
          names: 'items[0].entityRef',
        })),
        withField(badInstant, timestamp => ({
          method: 'post',
          path: '/measurements',
          body: measurement({ timestamp }),
          names: 'items[0]',
        })),
        // Feedback, campaigns, reviews, improvements, reports
        withField(badRef, ref => ({
          method: 'post',
          path: '/feedback',
          body: { entityRef: ref, kind: 'impromptu', score: 4 },
          names: 'entityRef',
        })),
        withField(badRef, ref => ({
          method: 'post',
          path: '/campaigns',
          body: {
            entityRef: ref,
            title: 'Survey',
            questions: [{ text: 'Happy?', scale: 'csat' }],
            end: at,
          },
          names: 'entityRef',
        })),
        withField(badInstant, end => ({
          method: 'post',
          path: '/campaigns',
          body: {
            entityRef: CHECKOUT,
            title: 'Survey',
            questions: [{ text: 'Happy?', scale: 'csat' }],
            end,
          },
          names: 'end',
        })),
        withField(badInstant, start => ({
          method: 'post',
          path: '/reviews',
          body: {
            agreementId: agreement.id,
            period: { start, end: at },
            participants: ['user:default/alice'],
            minutes: 'x',
          },
          names: 'period.start',
        })),
        withField(badRef, ref => ({
          method: 'post',
          path: '/improvements',
          body: {
            entityRef: ref,
            title: 'Faster P1',
            source: 'review',
            owner: 'user:default/alice',
          },
          names: 'entityRef',
        })),
        withField(badInstant, due => ({
          method: 'post',
          path: '/improvements',
          body: {
            entityRef: CHECKOUT,
            title: 'Faster P1',
            source: 'review',
            owner: 'user:default/alice',
            due,
          },
          names: 'due',
        })),
        withField(badInstant, due => ({
          method: 'put',
          path: `/improvements/${improvement.body.id}`,
          body: { version: improvement.body.version, due },
          names: 'due',
        })),
        withField(badRef, ref => ({
          method: 'post',
          path: '/reports/published',
          body: { entityRef: ref, month: '2026-01' },
          names: 'entityRef',
        })),
        withField(badInstant, from => ({
          method: 'post',
          path: '/reports/published',
          body: { entityRef: CHECKOUT, from, to: '2026-01-01T00:00:00Z' },
          names: 'from',
        })),
        withField(notANumber, version => ({
          method: 'put',
          path: `/reviews/${review.body.id}`,
          body: { version, minutes: 'x' },
          names: 'version',
        })),
        withField(notANumber, version => ({
          method: 'post',
          path: `/feedback/${feedback.body.id}/responses`,
          body: { message: 'On it', version },
          names: 'version',
        })),
        // Anything at all as a body
        fc
          .tuple(
            fc.constantFrom(
              '/agreements',
              '/measurements',
              '/feedback',
              '/campaigns',
              '/reviews',
              '/improvements',
              '/reports/published',
              `/agreements/${agreement.id}/transitions`,
            ),
            fc.oneof(
              fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), {
                maxKeys: 4,
              }),
              fc.array(fc.jsonValue(), { maxLength: 3 }),
            ),
          )
          .map(([path, body]) => ({ method: 'post' as const, path, body })),
      );

      let run = 0;
      await fc.assert(
        fc.asyncProperty(requests, async r => {
          run++;
          const res = await as(alice, r);
          const error = res.body?.error;
          const where = `${r.method.toUpperCase()} ${r.path} ${JSON.stringify(
            r.body,
          )} → ${res.status} ${JSON.stringify(res.body)}`;
          if (res.status < 400 || res.status >= 500) throw new Error(where);
          if (typeof error?.message !== 'string' || !error.message) {
            throw new Error(`no message: ${where}`);
          }
          if (error.stack !== undefined) throw new Error(`stack: ${where}`);
          if (r.names && !error.message.includes(r.names)) {
            throw new Error(`message does not name ${r.names}: ${where}`);
          }
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      expect(run).toBe(RUNS);
      expect(await readBack()).toEqual(before);
    });
  },
);
