import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderApp } from "../../../test/renderApp";
import { anonymous, authenticated, mockFetch } from "../../../test/server";

afterEach(() => vi.unstubAllGlobals());

const SESSION = "/_allauth/browser/v1/auth/session";
const path = (request: Request) => new URL(request.url).pathname;

describe("sign in", () => {
  it("goes to the second factor when the password login leaves 2FA pending, then into the app", async () => {
    let signedIn = false;
    const seen = mockFetch((request) => {
      const url = path(request);
      if (url === SESSION) return signedIn ? authenticated() : anonymous();
      if (url.endsWith("/config")) return { status: 200, body: { status: 200, data: { account: {}, socialaccount: { providers: [] } } } };
      if (url.endsWith("/auth/login")) return anonymous([{ id: "mfa_authenticate", is_pending: true }]);
      if (url.endsWith("/auth/2fa/authenticate")) {
        signedIn = true;
        return authenticated();
      }
    });
    const router = renderApp("/signin");
    const user = userEvent.setup();

    await user.type(await screen.findByRole("textbox", { name: "Email" }), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "secret pass{Enter}");

    await waitFor(() => expect(router.state.location.pathname).toBe("/signin/2fa"));
    await user.type(await screen.findByRole("textbox", { name: "Authenticator code" }), "123456");
    await user.click(screen.getByRole("button", { name: "Verify" }));

    expect(await screen.findByRole("heading", { name: "Home" })).toBeInTheDocument();
    const login = seen.find((r) => path(r).endsWith("/auth/login"))!;
    expect(await login.json()).toEqual({ email: "ada@example.com", password: "secret pass" });
    const twoFactor = seen.find((r) => path(r).endsWith("/2fa/authenticate"))!;
    expect(await twoFactor.json()).toEqual({ code: "123456" });
  });

  it("shows allauth's field errors under the field", async () => {
    mockFetch((request) => {
      const url = path(request);
      if (url === SESSION) return anonymous();
      if (url.endsWith("/config")) return { status: 200, body: { status: 200, data: { account: {} } } };
      if (url.endsWith("/auth/login"))
        return { status: 400, body: { status: 400, errors: [{ code: "invalid", message: "The email address and/or password you specified are not correct.", param: "password" }] } };
    });
    renderApp("/signin");
    const user = userEvent.setup();
    await user.type(await screen.findByRole("textbox", { name: "Email" }), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "wrong");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText(/are not correct/)).toBeInTheDocument();
    expect(screen.getByLabelText("Password")).toHaveAttribute("aria-invalid", "true");
  });

  it("sends a visitor with a pending email verification to enter the code", async () => {
    mockFetch((request) => (path(request) === SESSION ? anonymous([{ id: "verify_email", is_pending: true }]) : undefined));
    const router = renderApp("/meetings");
    expect(await screen.findByRole("textbox", { name: "Verification code" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/verify-email");
  });

  it("shows social buttons only for configured providers, coming back by the callback", async () => {
    mockFetch((request) => {
      const url = path(request);
      if (url === SESSION) return anonymous();
      if (url.endsWith("/config"))
        return { status: 200, body: { status: 200, data: { account: {}, socialaccount: { providers: [{ id: "google", name: "Google", flows: ["provider_redirect"] }] } } } };
    });
    renderApp("/signin?next=%2Fcalendar");
    const google = await screen.findByRole("button", { name: "Continue with Google" });
    expect(screen.queryByRole("button", { name: "Continue with Facebook" })).not.toBeInTheDocument();
    // The provider sends the browser back to the callback, which carries on to the page asked for.
    expect(google.closest("form")).toHaveFormValues({ provider: "google", callback_url: "/signin/callback?next=%2Fcalendar" });
  });
});

describe("returning to the page asked for", () => {
  const CONFIG = { status: 200, body: { status: 200, data: { account: {} } } };

  it("sends a signed-out visitor to sign in, then (through the sign-in code) back to that page", async () => {
    let signedIn = false;
    mockFetch((request) => {
      const url = path(request);
      if (url === SESSION) return signedIn ? authenticated() : anonymous();
      if (url.endsWith("/config")) return CONFIG;
      if (url.endsWith("/auth/code/request")) return anonymous([{ id: "login_by_code", is_pending: true }]);
      if (url.endsWith("/auth/code/confirm")) {
        signedIn = true;
        return authenticated();
      }
    });
    const router = renderApp("/calendar?view=week");
    const user = userEvent.setup();

    await user.type(await screen.findByRole("textbox", { name: "Email" }), "ada@example.com");
    expect(router.state.location.pathname + router.state.location.search).toBe("/signin?next=%2Fcalendar%3Fview%3Dweek");
    await user.click(screen.getByRole("button", { name: "Email me a sign-in code" }));
    await user.type(await screen.findByRole("textbox", { name: "Code" }), "ABC123{Enter}");

    expect(await screen.findByRole("heading", { name: "Calendar" })).toBeInTheDocument();
    expect(router.state.location.pathname + router.state.location.search).toBe("/calendar?view=week");
  });

  it.each(["//evil.com", "https://evil.com/account", "/\\evil.com"])("ignores next=%s and goes to the app", async (next) => {
    mockFetch((request) => {
      const url = path(request);
      if (url === SESSION) return anonymous();
      if (url.endsWith("/config")) return CONFIG;
      if (url.endsWith("/auth/login")) return authenticated();
    });
    const router = renderApp(`/signin?${new URLSearchParams({ next })}`);
    const user = userEvent.setup();
    await user.type(await screen.findByRole("textbox", { name: "Email" }), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "secret pass{Enter}");

    expect(await screen.findByRole("heading", { name: "Home" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/dashboard");
  });
});
