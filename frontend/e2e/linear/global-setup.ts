/** Starts the fake Linear (fake-linear.ts) for the whole run, in Playwright's runner process. */
import { ports } from "../auth0/settings";
import { FakeLinear } from "./fake-linear";
import { linear } from "./settings";

export default async function globalSetup(): Promise<() => Promise<void>> {
  const fake = new FakeLinear({ port: ports.fakeLinear, apiKey: linear.apiKey, team: linear.team });
  await fake.start();
  return () => fake.stop();
}
