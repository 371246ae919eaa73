/// <reference types="vitest/config" />
import { fileURLToPath, URL } from "node:url";

import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Django serves the build: its assets under /static/app/ (whitenoise; hashed names
// are cached for good) and index.html, with the runtime config put in, at every other
// path. `npm run dev` serves the app at / and proxies the API to a suite on :8000.
const suite = process.env.SUITE_URL ?? "http://127.0.0.1:8000";

export default defineConfig(({ command }) => ({
  base: command === "build" ? "/static/app/" : "/",
  plugins: [react(), tailwindcss()],
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  server: { proxy: { "/api": suite, "/admin": suite, "/static": suite } },
  // The entry holds React, the router, TanStack Query and Auth0 (about 190 kB gzipped); each
  // page loads its own code on first visit. No source maps: everything in dist/ is served to
  // anyone, and maps would hand out the app's TypeScript source (`npx vite build --sourcemap`
  // makes them for a local build).
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 700 },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
  },
}));
