import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderApp } from "../../../test/renderApp";
import { anonymous, authenticated, mockFetch } from "../../../test/server";

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const SESSION = "/_allauth/browser/v1/auth/session";
const path = (request: Request) => new URL(request.url).pathname;
const facebook = { id: "facebook", name: "Facebook", flows: ["provider_redirect"] };

describe("social sign-up", () => {
  it("asks for an email when the provider gave none, then goes on to verify it", async () => {
    const seen = mockFetch((request) => {
      const url = path(request);
      if (url === SESSION) return anonymous([{ id: "provider_signup", is_pending: true, provider: facebook }]);
      if (url.endsWith("/auth/provider/signup")) return anonymous([{ id: "verify_email", is_pending: true }]);
    });
    // Where Facebook sends the browser back to.
    const router = renderApp("/signin/callback");
    const user = userEvent.setup();

    expect(await screen.findByRole("heading", { name: "Finish signing up" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/signup/social");
    expect(screen.getByText("Signed in with Facebook")).toBeInTheDocument();
    await user.type(screen.getByRole("textbox", { name: "Email" }), "ada@example.com");
    await user.click(screen.getByRole("button", { name: "Continue" }));

    expect(await screen.findByRole("textbox", { name: "Verification code" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/verify-email");
    const signup = seen.find((r) => path(r).endsWith("/auth/provider/signup"))!;
    expect(signup.method).toBe("POST");
    expect(await signup.json()).toEqual({ email: "ada@example.com" });
  });

  it("shows allauth's field error under the email", async () => {
    mockFetch((request) => {
      const url = path(request);
      if (url === SESSION) return anonymous([{ id: "provider_signup", is_pending: true, provider: facebook }]);
      if (url.endsWith("/auth/provider/signup"))
        return { status: 400, body: { status: 400, errors: [{ code: "email_taken", message: "An account already exists with this email address.", param: "email" }] } };
    });
    renderApp("/signup/social");
    const user = userEvent.setup();
    await user.type(await screen.findByRole("textbox", { name: "Email" }), "ada@example.com{Enter}");
    expect(await screen.findByText(/already exists/)).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: "Email" })).toHaveAttribute("aria-invalid", "true");
  });

  it.each(["/signin?error=social", "/signin/callback?error=cancelled&error_process=login"])(
    "lands on sign in with a clear error when the provider sign-in failed (%s)",
    async (start) => {
      mockFetch((request) => {
        const url = path(request);
        if (url === SESSION) return anonymous();
        if (url.endsWith("/config")) return { status: 200, body: { status: 200, data: { account: {} } } };
      });
      const router = renderApp(start);
      expect(await screen.findByText("Sign-in with that provider did not work. Try again or use another way.")).toBeInTheDocument();
      await waitFor(() => expect(router.state.location.pathname).toBe("/signin"));
      expect(screen.getByRole("button", { name: "Sign in" })).toBeInTheDocument();
    },
  );

  it("a provider sign-in that lands signed in gives a profile still on UTC the browser's time zone, once, then goes on", async () => {
    vi.spyOn(Intl.DateTimeFormat.prototype, "resolvedOptions").mockReturnValue({ timeZone: "Asia/Kolkata" } as Intl.ResolvedDateTimeFormatOptions);
    const seen = mockFetch((request) => {
      const url = path(request);
      if (url === SESSION) return authenticated();
      if (url === "/api/v1/me") return { status: 200, body: { timezone: request.method === "PATCH" ? "Asia/Kolkata" : "UTC" } };
      return { status: 200, body: { items: [], count: 0 } };
    });
    const router = renderApp("/signin/callback?next=%2Faccount%2Fprofile");

    await waitFor(() => expect(router.state.location.pathname).toBe("/account/profile"));
    const patches = seen.filter((r) => r.method === "PATCH");
    expect(patches.map(path)).toEqual(["/api/v1/me"]);
    expect(await patches[0].json()).toEqual({ timezone: "Asia/Kolkata" });
  });

  it("goes on even when the profile cannot be updated", async () => {
    vi.spyOn(Intl.DateTimeFormat.prototype, "resolvedOptions").mockReturnValue({ timeZone: "Asia/Kolkata" } as Intl.ResolvedDateTimeFormatOptions);
    mockFetch((request) => {
      const url = path(request);
      if (url === SESSION) return authenticated();
      if (url === "/api/v1/me") return { status: 500 };
      return { status: 200, body: { items: [], count: 0 } };
    });
    const router = renderApp("/signin/callback");
    await waitFor(() => expect(router.state.location.pathname).toBe("/dashboard"));
  });
});
