import { defineConfig } from "@playwright/test";

import { ports, suiteAuth0Env, suiteUrl, unconfiguredSuiteUrl } from "./e2e/auth0/settings";
import { noLinearEnv, suiteLinearEnv } from "./e2e/linear/settings";

// The browser tests drive the built app (`npm run build`) served by real suites (e2e/serve-suite.sh),
// each on a throwaway SQLite database:
// - "dev-mode" (e2e/*.spec.ts): Django in DEV_MODE, with the demo data; no sign-in. Its Linear is
//   a fake on 127.0.0.1 (e2e/linear/fake-linear.ts, started by the global setup).
// - "auth0" (e2e/auth0/): DEV_MODE off, the app signing in for real with a fake Auth0 on
//   127.0.0.1 (e2e/auth0/fake-auth0.ts, started by the global setup), whose tokens the API
//   verifies with the fake's key set; and a suite without AUTH0_SPA_CLIENT_ID, for the page that
//   says sign-in is not configured.
const port = ports.devSuite;
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update"],
};
const suiteServer = {
  timeout: 120_000,
  reuseExistingServer: false,
  stdout: "ignore",
  stderr: "pipe",
} as const;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? "line" : "list",
  globalSetup: ["./e2e/auth0/global-setup.ts", "./e2e/linear/global-setup.ts"],
  use: {
    trace: "retain-on-failure",
    launchOptions: chromium,
  },
  projects: [
    {
      name: "dev-mode",
      testIgnore: "auth0/**",
      use: { baseURL: `http://127.0.0.1:${port}` },
    },
    {
      name: "auth0",
      testDir: "e2e/auth0",
      // The fake Auth0's certificate is self-signed, made at every run.
      use: { baseURL: suiteUrl, ignoreHTTPSErrors: true },
    },
  ],
  webServer: [
    {
      ...suiteServer,
      command: `bash e2e/serve-suite.sh ${port}`,
      url: `http://127.0.0.1:${port}/health`,
      env: suiteLinearEnv,
    },
    {
      ...suiteServer,
      command: `bash e2e/serve-suite.sh ${ports.suite} auth0`,
      url: `${suiteUrl}/health`,
      env: { ...suiteAuth0Env, ...noLinearEnv },
    },
    {
      ...suiteServer,
      command: `bash e2e/serve-suite.sh ${ports.unconfiguredSuite} shell`,
      url: `${unconfiguredSuiteUrl}/health`,
      env: { ...suiteAuth0Env, ...noLinearEnv, AUTH0_SPA_CLIENT_ID: "" },
    },
  ],
});
