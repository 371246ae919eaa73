import type { Page } from "@playwright/test";

/**
 * Every Content-Security-Policy violation the page reports from now on (the directive and what
 * it blocked), for a test to expect none of (apps/core/csp.py).
 */
export async function cspViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  await page.exposeFunction("reportViolation", (what: string) => seen.push(what));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) =>
      (window as unknown as { reportViolation: (what: string) => void }).reportViolation(
        `${event.violatedDirective} ${event.blockedURI}`,
      ),
    );
  });
  return seen;
}
