import { allauth } from "../../api/clients";
import { ApiError, unwrap } from "../../api/errors";
import type { components } from "../../api/generated/allauth";
import { getMe, updateMe } from "../account/api";

type Schemas = components["schemas"];
export type User = Schemas["User"];
export type Provider = Schemas["Provider"];
// allauth's spec leaves out the flow that a password reset by code starts.
export type FlowId = Schemas["Flow"]["id"] | "password_reset_by_code";
export type Flow = Omit<Schemas["Flow"], "id"> & { id: FlowId };

/** What the server says about this browser's session, after any auth request. */
export type Session =
  | { kind: "authenticated"; user: User }
  | { kind: "anonymous"; pending: Flow | null };

type AuthBody =
  | { status: 200; data: { user: User }; meta: { is_authenticated: boolean } }
  | { status: 401; data: { flows?: Flow[] }; meta?: { is_authenticated?: boolean } };

const ANONYMOUS: Session = { kind: "anonymous", pending: null };

export function sessionFrom(body: AuthBody): Session {
  if (body.status === 200 && body.meta.is_authenticated) return { kind: "authenticated", user: body.data.user };
  const flows = (body.data as { flows?: Flow[] }).flows ?? [];
  return { kind: "anonymous", pending: flows.find((flow) => flow.is_pending) ?? null };
}

/** Auth endpoints answer 200 (signed in) or 401 (not yet: maybe a pending flow); both are a Session. */
async function authStep(call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<Session> {
  const { data, error, response } = await call;
  if (response.ok || response.status === 401) return sessionFrom((data ?? error) as AuthBody);
  if (response.status === 410) return ANONYMOUS; // the session expired
  throw new ApiError(response.status, error);
}

function stepFor(pending: Flow | null): string {
  switch (pending?.id) {
    case "verify_email":
      return "/verify-email";
    case "mfa_authenticate":
      return "/signin/2fa";
    case "login_by_code":
      return "/signin/code";
    case "password_reset_by_code":
      return "/forgot-password";
    case "provider_signup":
      return "/signup/social";
    default:
      return "/signin";
  }
}

/**
 * `next` as a path on this site, or null for anything else (never an open redirect): it must
 * start with a single "/" and, resolved the way the browser would, stay on this origin.
 */
export function safeNext(next: string | null): string | null {
  if (!next?.startsWith("/")) return null;
  const url = new URL(next, window.location.origin);
  return url.origin === window.location.origin ? url.pathname + url.search + url.hash : null;
}

/** `path` with `next` carried along as `?next=`, when `next` is safe. */
export function withNext(path: string, next: string | null): string {
  const safe = safeNext(next);
  if (!safe) return path;
  const url = new URL(path, window.location.origin);
  url.searchParams.set("next", safe);
  return url.pathname + url.search;
}

/**
 * The page a session belongs on: `next` (the page asked for) or the app when signed in, else
 * the step its pending flow needs, carrying `next` along to the steps that follow.
 */
export function routeFor(session: Session, next: string | null = null): string {
  if (session.kind === "authenticated") return safeNext(next) ?? "/dashboard";
  return withNext(stepFor(session.pending), next);
}

const base = "/_allauth/browser/v1" as const;

export const getSession = () => authStep(allauth.GET(`${base}/auth/session`));
export const signOut = () => authStep(allauth.DELETE(`${base}/auth/session`));
export const signUp = (body: { email: string; password: string }) =>
  authStep(allauth.POST(`${base}/auth/signup`, { body }));
export const verifyEmail = (code: string) =>
  authStep(allauth.POST(`${base}/auth/email/verify`, { body: { key: code } }));
export const resendEmailCode = () => unwrap(allauth.POST(`${base}/auth/email/verify/resend`));
export const completeProviderSignUp = (email: string) =>
  authStep(allauth.POST(`${base}/auth/provider/signup`, { body: { email } }));
export const signIn = (body: { email: string; password: string }) =>
  authStep(allauth.POST(`${base}/auth/login`, { body }));
export const requestSignInCode = (body: { email: string } | { phone: string }) =>
  authStep(allauth.POST(`${base}/auth/code/request`, { body }));
export const confirmSignInCode = (code: string) =>
  authStep(allauth.POST(`${base}/auth/code/confirm`, { body: { code } }));
export const authenticateTwoFactor = (code: string) =>
  authStep(allauth.POST(`${base}/auth/2fa/authenticate`, { body: { code } }));
export const requestPasswordReset = (email: string) =>
  authStep(allauth.POST(`${base}/auth/password/request`, { body: { email } }));
export const resetPassword = (body: { code: string; password: string }) =>
  authStep(allauth.POST(`${base}/auth/password/reset`, { body: { key: body.code, password: body.password } }));
export const reauthenticate = (password: string) =>
  unwrap(allauth.POST(`${base}/auth/reauthenticate`, { body: { password } }));
export const reauthenticateTwoFactor = (code: string) =>
  unwrap(allauth.POST(`${base}/auth/2fa/reauthenticate`, { body: { code } }));

export async function getProviders(): Promise<Provider[]> {
  const config = await unwrap(allauth.GET(`${base}/config`));
  return config.data.socialaccount?.providers ?? [];
}

/** Where social sign-in starts: a plain (non-XHR) form POST that the server redirects. */
export const PROVIDER_REDIRECT_URL = `${base}/auth/provider/redirect`;
/** Where the provider sends the browser back to. */
export const PROVIDER_CALLBACK_PATH = "/signin/callback";

/** The browser's time zone into a profile still on the server's default, "UTC". */
export async function adoptBrowserTimeZone(): Promise<void> {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone || zone === "UTC") return;
  const me = await getMe();
  if (me.timezone === "UTC") await updateMe({ timezone: zone });
}

/**
 * A sign-up step: once it signs the new user in, their profile gets the browser's time zone.
 * That is a convenience (the profile page can set it), so its failure never fails the sign-up.
 */
export const signingUp =
  <Vars>(step: (vars: Vars) => Promise<Session>) =>
  async (vars: Vars): Promise<Session> => {
    const session = await step(vars);
    if (session.kind === "authenticated") await adoptBrowserTimeZone().catch(() => undefined);
    return session;
  };
