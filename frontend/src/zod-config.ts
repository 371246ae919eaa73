// The page's Content-Security-Policy allows no eval (apps/core/csp.py). Zod would compile its
// object parsers with `new Function`, and probes whether it may when it makes the first one: a
// probe the browser reports as a policy violation. Imported first by main.tsx, before any schema
// is made.
import { z } from "zod";

z.config({ jitless: true });
