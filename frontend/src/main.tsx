import "./zod-config";

import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App } from "@/app/App";
import { readConfig } from "@/app/config";

import "./index.css";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App config={readConfig()} />
  </StrictMode>,
);
