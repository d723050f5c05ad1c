import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { alice, startSlaBackend } from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const MINUTE = 60_000;
const CHECKOUT = 'component:default/checkout';

/**
 * End to end as an assistant sees it: the MCP actions backend (Streamable
 * HTTP at /api/mcp-actions/v1) lists the SLA plugin's actions as tools and
 * calls one, through Backstage's actions service and the plugin's actions
 * registry over HTTP, with the caller's credentials.
 */
describe('the SLA actions through the MCP actions backend', () => {
  // Once, on SQLite: the actions' storage is covered by actions.test.ts.
  const databaseId = 'SQLITE_3' as const;

  it('lists the SLA tools and answers checkout attainment', async () => {
    const { server, http } = await startSlaBackend(databaseId, {
      features: [mcpActionsPlugin],
      config: { backend: { actions: { pluginSources: ['sla'] } } },
    });
    const created = await http
      .post('/api/sla/agreements')
      .set('Authorization', alice)
      .send({
        kind: 'SLA',
        entityRef: CHECKOUT,
        title: 'Checkout SLA',
        status: 'draft',
        targets: [
          {
            id: 'availability',
            name: 'Availability',
            aspect: 'availability',
            metric: 'requests',
            sli: { kind: 'ratio' },
            objective: 99.5,
            window: { type: 'rolling', duration: 'P1D' },
          },
        ],
      });
    expect(created.status).toBe(201);
    for (const to of ['negotiation', 'agreed']) {
      const moved = await http
        .post(`/api/sla/agreements/${created.body.id}/transitions`)
        .set('Authorization', alice)
        .send({ to });
      expect(moved.status).toBe(200);
    }
    const now = Date.now();
    const pushed = await http
      .post('/api/sla/measurements')
      .set('Authorization', alice)
      .send({
        items: Array.from({ length: 10 }, (_, i) => ({
          entityRef: CHECKOUT,
          metric: 'requests',
          timestamp: new Date(now - (10 - i) * MINUTE).toISOString(),
          good: 999,
          total: 1000,
        })),
      });
    expect(pushed.status).toBe(200);

    const client = new Client({ name: 'sla-test', version: '1.0.0' });
    const { port } = server.address() as { port: number };
    const transport = new StreamableHTTPClientTransport(
      new URL(`http://localhost:${port}/api/mcp-actions/v1`),
      { requestInit: { headers: { Authorization: alice } } },
    );
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      const names = tools.map(t => t.name);
      for (const name of [
        'get-entity-attainment',
        'list-breaches',
        'explain-viability',
        'list-agreements-due-for-review',
      ]) {
        expect(names.some(n => n.endsWith(name))).toBe(true);
      }
      const attainmentTool = tools.find(t =>
        t.name.endsWith('get-entity-attainment'),
      )!;
      expect(attainmentTool.annotations?.readOnlyHint).toBe(true);
      expect(attainmentTool.inputSchema.properties).toHaveProperty('entityRef');

      const result = (await client.callTool({
        name: attainmentTool.name,
        arguments: { entityRef: 'checkout' },
      })) as { isError?: boolean; structuredContent?: any; content: any[] };
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent.entityRef).toBe(CHECKOUT);
      expect(result.structuredContent.targets).toEqual([
        expect.objectContaining({
          name: 'Availability',
          attainment: 99.9,
          objective: 99.5,
          status: 'met',
        }),
      ]);
      expect(result.content[0].text).toContain(
        'Availability: 99.9 % against an objective of 99.5 %, met',
      );
    } finally {
      await client.close();
    }
  });
});
