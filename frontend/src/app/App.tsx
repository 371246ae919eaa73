import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { createBrowserRouter, Outlet, RouterProvider } from "react-router";

import { ApiError } from "@/api/client";
import { Spinner } from "@/components/Feedback";

import { AuthGate } from "./auth";
import type { SuiteConfig } from "./config";
import { RouteError } from "./RouteError";
import { routes } from "./routes";

/**
 * Retry what may pass on a second try (no connection, a 5xx); never what the API refused,
 * nor a failure to get a token (signing in again is what mends that: auth.tsx).
 */
function shouldRetry(failureCount: number, error: unknown): boolean {
  const transient = error instanceof ApiError && (error.status === 0 || error.status >= 500);
  return transient && failureCount < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 15_000, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
  });
}

export function App({ config }: { config: SuiteConfig }) {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(() =>
    createBrowserRouter([
      {
        element: (
          <AuthGate config={config}>
            <Outlet />
          </AuthGate>
        ),
        errorElement: <RouteError />,
        // The first page's code is loading (each page loads its own: routes.tsx).
        hydrateFallbackElement: <Spinner />,
        children: routes,
      },
    ]),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
