/**
 * Who the user is. With Auth0, nothing renders until they are signed in, and every API
 * request carries a fresh access token for the suite's API; in DEV_MODE the API treats
 * every request as the dev user, so there is nothing to sign in to.
 */
import { Auth0Provider, useAuth0 } from "@auth0/auth0-react";
import { createContext, useContext, useEffect, type ReactNode } from "react";
import { useNavigate } from "react-router";

import { setTokenSource } from "@/api/client";
import { Spinner } from "@/components/Feedback";

import type { Auth0Config, SuiteConfig } from "./config";

interface Session {
  devMode: boolean;
  /** Ends the Auth0 session; absent in DEV_MODE. */
  signOut?: () => void;
}

const SessionContext = createContext<Session>({ devMode: true });

export function useSession(): Session {
  return useContext(SessionContext);
}

export function AuthGate({ config, children }: { config: SuiteConfig; children: ReactNode }) {
  if (config.configError || (!config.devMode && !config.auth0)) {
    return <ConfigProblem message={config.configError ?? "Sign-in is not configured."} />;
  }
  if (config.devMode || !config.auth0) {
    setTokenSource(async () => null);
    return <SessionContext.Provider value={{ devMode: true }}>{children}</SessionContext.Provider>;
  }
  return <Auth0Gate auth0={config.auth0}>{children}</Auth0Gate>;
}

interface ReturnTo {
  returnTo?: string;
}

/** Errors of auth0-spa-js (their `error` code) that only signing in again mends. */
const SIGN_IN_AGAIN = new Set([
  "login_required",
  "consent_required",
  "interaction_required",
  "invalid_grant",
  "missing_refresh_token",
]);

export function needsSignIn(failure: unknown): boolean {
  return (
    failure instanceof Error &&
    "error" in failure &&
    typeof failure.error === "string" &&
    SIGN_IN_AGAIN.has(failure.error)
  );
}

/** Through Auth0's sign-in, and back to the page the user is on. */
function signInAgain(loginWithRedirect: ReturnType<typeof useAuth0>["loginWithRedirect"]) {
  const { pathname, search } = window.location;
  return loginWithRedirect({ appState: { returnTo: pathname + search } satisfies ReturnTo });
}

function Auth0Gate({ auth0, children }: { auth0: Auth0Config; children: ReactNode }) {
  const navigate = useNavigate();
  return (
    <Auth0Provider
      domain={auth0.domain}
      clientId={auth0.clientId}
      authorizationParams={{ audience: auth0.audience, redirect_uri: window.location.origin }}
      useRefreshTokens
      onRedirectCallback={(state?: ReturnTo) => navigate(state?.returnTo ?? "/", { replace: true })}
    >
      <RequireSignIn>{children}</RequireSignIn>
    </Auth0Provider>
  );
}

function RequireSignIn({ children }: { children: ReactNode }) {
  const { isLoading, isAuthenticated, error, loginWithRedirect, getAccessTokenSilently, logout } =
    useAuth0();

  useEffect(() => {
    if (isLoading || error || isAuthenticated) return;
    void signInAgain(loginWithRedirect);
  }, [isLoading, isAuthenticated, error, loginWithRedirect]);

  if (error) {
    return (
      <ConfigProblem message={`Sign-in failed: ${error.message}`}>
        <button className="underline" onClick={() => void signInAgain(loginWithRedirect)}>
          Try again
        </button>
      </ConfigProblem>
    );
  }
  if (isLoading || !isAuthenticated) return <Spinner label="Signing in…" />;
  // Before the children render: their queries start in their effects, which run before ours.
  // The client only keeps the function; setting it again at each render changes nothing.
  setTokenSource(async () => {
    try {
      return (await getAccessTokenSilently()) ?? null;
    } catch (failure) {
      // The session ended (a refresh token revoked or expired, the user signed out
      // elsewhere): through Auth0 again, back to this page, rather than an error on it.
      if (!needsSignIn(failure)) throw failure;
      await signInAgain(loginWithRedirect);
      return new Promise<never>(() => undefined); // the page is leaving: no error to show
    }
  });
  const signOut = () => void logout({ logoutParams: { returnTo: window.location.origin } });
  return (
    <SessionContext.Provider value={{ devMode: false, signOut }}>
      {children}
    </SessionContext.Provider>
  );
}

function ConfigProblem({ message, children }: { message: string; children?: ReactNode }) {
  return (
    <main className="mx-auto mt-24 max-w-lg rounded-lg border border-amber-300 bg-amber-50 p-6 text-sm text-amber-900">
      <h1 className="text-base font-semibold">Toolsuite cannot sign you in</h1>
      <p className="mt-2">{message}</p>
      {children && <p className="mt-3">{children}</p>}
    </main>
  );
}
