/**
 * The fake Linear the DEV_MODE suite talks to: where it listens (after the Auth0 tests' ports,
 * e2e/auth0/settings.ts), the key and team the suite is configured with, shared by
 * playwright.config.ts (the suite's environment), the global setup (which starts the fake) and
 * e2e/linear.spec.ts.
 */
import { ports } from "../auth0/settings";

export const linear = {
  url: `http://127.0.0.1:${ports.fakeLinear}`,
  /** Made up: the fake takes only this key. */
  apiKey: "lin_api_toolsuite_e2e_fake_key",
  team: { id: "0f6e5f4c-e2e0-4000-8000-00000000e2e0", key: "ENG", name: "Engineering" },
};

/** The DEV_MODE suite's Linear: the fake. */
export const suiteLinearEnv: Record<string, string> = {
  LINEAR_API_KEY: linear.apiKey,
  LINEAR_TEAM_ID: linear.team.id,
  LINEAR_API_URL: `${linear.url}/graphql`,
};

/** The other suites have no Linear, whatever the environment Playwright runs in says. */
export const noLinearEnv: Record<string, string> = { LINEAR_API_KEY: "" };
