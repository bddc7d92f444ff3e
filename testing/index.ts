// wirestore/testing: what an app team needs to test a wirestore app. Playwright fixtures that
// control a page's connection and wait on its clients' state; a real shim per test; and an
// in-process environment for unit-testing server APIs.
export { test, expect, wireFixtures, wireFor } from './fixtures';
export type { Wire } from './fixtures';
export { startTestServer } from './test-server';
export type { TestServer } from './test-server';
export { createTestEnv } from './test-env';
export type { TestEnv, TestUser } from './test-env';
export type { ReliabilityCounts } from '../sdk/reliability';
