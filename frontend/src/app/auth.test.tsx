import { render, screen, waitFor } from "@testing-library/react";
import { createMemoryRouter, RouterProvider } from "react-router";

import { apiRequest } from "@/api/client";

import { AuthGate, useSession } from "./auth";
import type { SuiteConfig } from "./config";

const auth0 = vi.hoisted(() => ({
  state: {
    isLoading: false,
    isAuthenticated: false,
    error: undefined as Error | undefined,
    loginWithRedirect: vi.fn(),
    getAccessTokenSilently: vi.fn(),
    logout: vi.fn(),
  },
  providerProps: null as unknown,
}));

vi.mock("@auth0/auth0-react", () => ({
  Auth0Provider: ({ children, ...props }: { children: React.ReactNode }) => {
    auth0.providerProps = props;
    return children;
  },
  useAuth0: () => auth0.state,
}));

function Signed() {
  const session = useSession();
  return <p>{session.devMode ? "dev mode" : "signed in"}</p>;
}

function renderGate(config: SuiteConfig, path = "/tools/components/components?status=DRAFT") {
  const router = createMemoryRouter(
    [
      {
        path: "*",
        element: (
          <AuthGate config={config}>
            <Signed />
          </AuthGate>
        ),
      },
    ],
    { initialEntries: [path] },
  );
  return render(<RouterProvider router={router} />);
}

const withAuth0: SuiteConfig = {
  devMode: false,
  auth0: {
    domain: "tenant.eu.auth0.com",
    clientId: "spa-client",
    audience: "https://toolsuite/api",
  },
};

describe("AuthGate", () => {
  beforeEach(() => {
    Object.assign(auth0.state, { isLoading: false, isAuthenticated: false, error: undefined });
    auth0.state.loginWithRedirect.mockReset();
    auth0.state.getAccessTokenSilently.mockReset();
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response("{}", { status: 200 })),
    );
  });

  afterEach(() => vi.unstubAllGlobals());

  it("renders the app at once in DEV_MODE and sends no token", async () => {
    renderGate({ devMode: true, auth0: null });
    expect(screen.getByText("dev mode")).toBeInTheDocument();
    await apiRequest("/api/v1/me/");
    const [, init] = vi.mocked(fetch).mock.calls[0]!;
    expect(new Headers(init?.headers).has("Authorization")).toBe(false);
  });

  it("asks Auth0 for a token for the suite's API, and sends a signed-out user to sign in", async () => {
    window.history.replaceState(null, "", "/tools/components/components?status=DRAFT");
    renderGate(withAuth0);
    expect(auth0.providerProps).toMatchObject({
      domain: "tenant.eu.auth0.com",
      clientId: "spa-client",
      authorizationParams: { audience: "https://toolsuite/api" },
    });
    await waitFor(() =>
      expect(auth0.state.loginWithRedirect).toHaveBeenCalledWith({
        appState: { returnTo: "/tools/components/components?status=DRAFT" },
      }),
    );
    expect(screen.queryByText("signed in")).not.toBeInTheDocument();
  });

  it("renders the app for a signed-in user and sends their access token with every request", async () => {
    auth0.state.isAuthenticated = true;
    auth0.state.getAccessTokenSilently.mockResolvedValue("access-token");
    renderGate(withAuth0);
    expect(await screen.findByText("signed in")).toBeInTheDocument();

    await apiRequest("/api/v1/me/");
    const [, init] = vi.mocked(fetch).mock.calls[0]!;
    expect(new Headers(init?.headers).get("Authorization")).toBe("Bearer access-token");
  });

  it("sends the user through Auth0 again, back to the same page, when the session has ended", async () => {
    window.history.replaceState(null, "", "/tools/components/components?search=RES");
    auth0.state.isAuthenticated = true;
    const ended = Object.assign(new Error("Missing Refresh Token"), {
      error: "missing_refresh_token",
    });
    auth0.state.getAccessTokenSilently.mockRejectedValue(ended);
    renderGate(withAuth0);
    await screen.findByText("signed in");

    void apiRequest("/api/v1/me/");
    await waitFor(() =>
      expect(auth0.state.loginWithRedirect).toHaveBeenCalledWith({
        appState: { returnTo: "/tools/components/components?search=RES" },
      }),
    );
    expect(fetch).not.toHaveBeenCalled();
  });

  it("lets any other failure to get a token reach the page", async () => {
    auth0.state.isAuthenticated = true;
    auth0.state.getAccessTokenSilently.mockRejectedValue(new Error("Timeout"));
    renderGate(withAuth0);
    await screen.findByText("signed in");
    await expect(apiRequest("/api/v1/me/")).rejects.toThrow("Timeout");
    expect(auth0.state.loginWithRedirect).not.toHaveBeenCalled();
  });

  it("says what is missing when the server lacks the sign-in settings", () => {
    renderGate({ devMode: false, auth0: null, configError: "AUTH0_SPA_CLIENT_ID is not set." });
    expect(screen.getByText("Toolsuite cannot sign you in")).toBeInTheDocument();
    expect(screen.getByText("AUTH0_SPA_CLIENT_ID is not set.")).toBeInTheDocument();
  });

  it("offers to try again when Auth0 reports an error", () => {
    auth0.state.error = new Error("access_denied");
    renderGate(withAuth0);
    expect(screen.getByText("Sign-in failed: access_denied")).toBeInTheDocument();
  });
});
