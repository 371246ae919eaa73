/** The runtime configuration Django writes into index.html (`<script id="suite-config">`). */
export interface Auth0Config {
  domain: string;
  clientId: string;
  audience: string;
}

export interface SuiteConfig {
  /** DEV_MODE: the API treats every request as the dev user; no sign-in. */
  devMode: boolean;
  auth0: Auth0Config | null;
  /** Set when the server lacks what sign-in needs; the app shows it instead of itself. */
  configError?: string;
}

/** Under `npm run dev` no server writes the config: the suite behind the proxy is in DEV_MODE. */
const VITE_DEV_SERVER: SuiteConfig = { devMode: true, auth0: null };

export function readConfig(doc: Document = document): SuiteConfig {
  const element = doc.getElementById("suite-config");
  if (!element?.textContent) {
    return import.meta.env.DEV
      ? VITE_DEV_SERVER
      : { devMode: false, auth0: null, configError: "The server sent no configuration." };
  }
  return JSON.parse(element.textContent) as SuiteConfig;
}
