import { afterEach, describe, expect, it, vi } from "vitest";
import { mockFetch } from "../../test/server";
import { routeFor, safeNext, sessionFrom, signingUp, type Session } from "./api";

const signedIn = sessionFrom({ status: 200, data: { user: { display: "Ada", has_usable_password: true } }, meta: { is_authenticated: true } });
const pending = (id: string) =>
  sessionFrom({ status: 401, data: { flows: [{ id: "login" }, { id: id as "login", is_pending: true }] }, meta: { is_authenticated: false } });

describe("routeFor", () => {
  it("sends a signed-in session to the app", () => {
    expect(signedIn.kind).toBe("authenticated");
    expect(routeFor(signedIn)).toBe("/dashboard");
  });

  it.each([
    ["verify_email", "/verify-email"],
    ["mfa_authenticate", "/signin/2fa"],
    ["login_by_code", "/signin/code"],
    ["password_reset_by_code", "/forgot-password"],
    ["provider_signup", "/signup/social"],
  ])("sends a pending %s flow to %s", (flow, route) => {
    expect(routeFor(pending(flow))).toBe(route);
  });

  it("sends a session without a pending flow to sign in", () => {
    expect(routeFor(sessionFrom({ status: 401, data: { flows: [{ id: "login" }] } }))).toBe("/signin");
  });
});

describe("next (the page asked for before signing in)", () => {
  it("is kept when it is a path on this site", () => {
    expect(routeFor(signedIn, "/account/security?tab=2")).toBe("/account/security?tab=2");
    expect(routeFor(pending("mfa_authenticate"), "/account/security")).toBe("/signin/2fa?next=%2Faccount%2Fsecurity");
  });

  it.each(["//evil.com", "/\\evil.com", "/\t/evil.com", "https://evil.com/x", "javascript:alert(1)", "account", "", null])(
    "is refused for %j (no open redirect)",
    (next) => {
      expect(safeNext(next)).toBeNull();
      expect(routeFor(signedIn, next)).toBe("/dashboard");
      expect(routeFor(pending("mfa_authenticate"), next)).toBe("/signin/2fa");
    },
  );
});

describe("signing up", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  function browserIn(zone: string, profileZone: string) {
    vi.spyOn(Intl.DateTimeFormat.prototype, "resolvedOptions").mockReturnValue({ timeZone: zone } as Intl.ResolvedDateTimeFormatOptions);
    return mockFetch((request) => {
      if (new URL(request.url).pathname !== "/api/v1/me") return undefined;
      return { status: 200, body: { timezone: request.method === "PATCH" ? zone : profileZone } };
    });
  }
  const patches = (seen: Request[]) => Promise.all(seen.filter((r) => r.method === "PATCH").map((r) => r.json()));

  it("records the browser's time zone in a profile still on UTC", async () => {
    const seen = browserIn("Asia/Kolkata", "UTC");
    expect(await signingUp(async () => signedIn)(undefined)).toBe(signedIn);
    expect(await patches(seen)).toEqual([{ timezone: "Asia/Kolkata" }]);
  });

  it("keeps a zone the profile already has, and asks nothing before the user is signed in", async () => {
    const seen = browserIn("Asia/Kolkata", "Europe/London");
    await signingUp(async () => signedIn)(undefined);
    expect(await patches(seen)).toEqual([]);

    const waiting: Session = pending("verify_email");
    seen.length = 0;
    expect(await signingUp(async () => waiting)(undefined)).toBe(waiting);
    expect(seen).toEqual([]);
  });

  it("still signs up when the profile cannot be updated", async () => {
    vi.spyOn(Intl.DateTimeFormat.prototype, "resolvedOptions").mockReturnValue({ timeZone: "Asia/Kolkata" } as Intl.ResolvedDateTimeFormatOptions);
    mockFetch(() => ({ status: 500 }));
    expect(await signingUp(async () => signedIn)(undefined)).toBe(signedIn);
  });
});
