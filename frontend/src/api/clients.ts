import createClient from "openapi-fetch";
import type { paths as AapoonPaths } from "./generated/aapoon";
import type { paths as AllauthPaths } from "./generated/allauth";
import { csrfMiddleware } from "./csrf";

// `fetch` is looked up on every call so tests can replace it.
const options = { baseUrl: window.location.origin, credentials: "same-origin", fetch: (request: Request) => fetch(request) } as const;

/** Our API (/api/v1), typed from its OpenAPI schema. */
export const api = createClient<AapoonPaths>(options);
api.use(csrfMiddleware);

/** django-allauth headless, browser client (/_allauth/browser/v1), typed from its OpenAPI schema. */
export const allauth = createClient<AllauthPaths>(options);
allauth.use(csrfMiddleware);
