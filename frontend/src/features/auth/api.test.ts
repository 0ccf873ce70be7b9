import { describe, expect, it } from "vitest";
import { routeFor, safeNext, sessionFrom } from "./api";

const signedIn = sessionFrom({ status: 200, data: { user: { display: "Ada", has_usable_password: true } }, meta: { is_authenticated: true } });
const pending = (id: string) =>
  sessionFrom({ status: 401, data: { flows: [{ id: "login" }, { id: id as "login", is_pending: true }] }, meta: { is_authenticated: false } });

describe("routeFor", () => {
  it("sends a signed-in session to the app", () => {
    expect(signedIn.kind).toBe("authenticated");
    expect(routeFor(signedIn)).toBe("/meetings");
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
      expect(routeFor(signedIn, next)).toBe("/meetings");
      expect(routeFor(pending("mfa_authenticate"), next)).toBe("/signin/2fa");
    },
  );
});
