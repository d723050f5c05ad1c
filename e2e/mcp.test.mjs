// An assistant on the demo portal: an MCP client (@modelcontextprotocol/sdk)
// signed in as the guest lists the tools of the demo backend's MCP actions
// endpoint (/api/mcp-actions/v1) and asks for checkout's attainment.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const backendUrl = process.env.BACKEND_URL ?? 'http://localhost:7007';

describe('SLA tools for assistants (MCP) on the demo backend', () => {
  it("lists the SLA tools and answers checkout's attainment", async () => {
    const refresh = await fetch(`${backendUrl}/api/auth/guest/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    const token = (await refresh.json()).backstageIdentity.token;
    const client = new Client({ name: 'sla-e2e', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${backendUrl}/api/mcp-actions/v1`), {
        requestInit: { headers: { Authorization: `Bearer ${token}` } },
      }),
    );
    try {
      const { tools } = await client.listTools();
      const names = tools.map(t => t.name);
      for (const name of [
        'get-entity-attainment',
        'list-breaches',
        'explain-viability',
        'list-agreements-due-for-review',
      ]) {
        assert.ok(names.some(n => n.endsWith(name)), `${name} in ${names.join(', ')}`);
      }
      const tool = tools.find(t => t.name.endsWith('get-entity-attainment'));
      // the demo's measurements are backfilled after the start: ask again
      // until checkout's targets have figures
      const deadline = Date.now() + 180_000;
      for (;;) {
        const result = await client.callTool({
          name: tool.name,
          arguments: { entityRef: 'checkout' },
        });
        assert.ok(!result.isError, JSON.stringify(result.content));
        const out = result.structuredContent;
        assert.equal(out.entityRef, 'component:default/checkout');
        const measured = out.targets.filter(t => t.attainment !== null && t.status !== 'no-data');
        // the demo's checkout breaches its targets (app-config.yaml)
        if (measured.some(t => t.status === 'breached')) {
          assert.match(result.content[0].text, /checkout/i);
          break;
        }
        if (Date.now() > deadline) {
          throw new Error(`checkout has no breached target yet: ${JSON.stringify(out.targets)}`);
        }
        await new Promise(r => setTimeout(r, 10_000));
      }
    } finally {
      await client.close();
    }
  });
});
