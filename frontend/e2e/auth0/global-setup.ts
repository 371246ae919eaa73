/**
 * Starts the fake Auth0 (fake-auth0.ts) for the whole run, in Playwright's runner process, and
 * stops it at the end. Its signing key and its TLS certificate are made here, at every run: the
 * key never leaves memory, and the certificate's key only lives in a temporary directory for as
 * long as openssl takes to write it.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { FakeAuth0 } from "./fake-auth0";
import { ports, tenant } from "./settings";

function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), "fake-auth0-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "pipe" },
    );
    return {
      key: readFileSync(join(dir, "key.pem"), "utf8"),
      cert: readFileSync(join(dir, "cert.pem"), "utf8"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const fake = new FakeAuth0({
    httpsPort: ports.fakeAuth0,
    jwksPort: ports.jwks,
    issuer: tenant.issuer,
    clientId: tenant.clientId,
    audience: tenant.audience,
    appOrigins: tenant.appOrigins,
    tls: selfSignedCertificate(),
  });
  await fake.start();
  return () => fake.stop();
}
