/*
 * A lean Backstage backend for the replica tests (e2e/replicas.test.mjs):
 * the SLA plugin with the real catalog, auth (guest), permission and
 * notification plugins, on the PostgreSQL database the test names. Several
 * of these processes on one database are several replicas.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@opensla/backstage-plugin-sla-backend'));
backend.start();
