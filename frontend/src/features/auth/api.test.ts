import { describe, expect, it } from "vitest";
import { routeFor, sessionFrom } from "./api";

const pending = (id: string) =>
  sessionFrom({ status: 401, data: { flows: [{ id: "login" }, { id: id as "login", is_pending: true }] }, meta: { is_authenticated: false } });

describe("routeFor", () => {
  it("sends a signed-in session to the app", () => {
    const session = sessionFrom({ status: 200, data: { user: { display: "Ada", has_usable_password: true } }, meta: { is_authenticated: true } });
    expect(session.kind).toBe("authenticated");
    expect(routeFor(session)).toBe("/meetings");
  });

  it.each([
    ["verify_email", "/verify-email"],
    ["mfa_authenticate", "/signin/2fa"],
    ["login_by_code", "/signin/code"],
    ["password_reset_by_code", "/forgot-password"],
    ["provider_signup", "/signin"],
  ])("sends a pending %s flow to %s", (flow, route) => {
    expect(routeFor(pending(flow))).toBe(route);
  });

  it("sends a session without a pending flow to sign in", () => {
    expect(routeFor(sessionFrom({ status: 401, data: { flows: [{ id: "login" }] } }))).toBe("/signin");
  });
});
