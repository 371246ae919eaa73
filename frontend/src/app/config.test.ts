import { readConfig } from "./config";

function page(script: string | null): Document {
  const doc = document.implementation.createHTMLDocument();
  if (script !== null) {
    const element = doc.createElement("script");
    element.id = "suite-config";
    element.type = "application/json";
    element.textContent = script;
    doc.head.append(element);
  }
  return doc;
}

describe("readConfig", () => {
  it("reads what the server wrote into the page", () => {
    const auth0 = { domain: "tenant.eu.auth0.com", clientId: "spa", audience: "https://api" };
    expect(readConfig(page(JSON.stringify({ devMode: false, auth0 })))).toEqual({
      devMode: false,
      auth0,
    });
  });

  it("takes a page without one for the Vite dev server's (DEV_MODE behind its proxy)", () => {
    expect(readConfig(page(null))).toEqual({ devMode: true, auth0: null });
  });
});
