import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderApp } from "../../../test/renderApp";
import { anonymous, authenticated, mockFetch } from "../../../test/server";

afterEach(() => vi.unstubAllGlobals());

describe("signed-in shell", () => {
  it("links the built sections and shows the others disabled as coming soon", async () => {
    mockFetch((request) => (new URL(request.url).pathname.endsWith("/auth/session") ? authenticated() : undefined));
    renderApp("/meetings");
    expect(await screen.findByRole("heading", { name: "Meetings" })).toBeInTheDocument();
    // jsdom has no media queries, so this is the small-screen layout: the navigation is a drawer.
    await userEvent.setup().click(screen.getByRole("button", { name: "Open navigation" }));
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(within(nav).getAllByRole("link").map((link) => link.textContent)).toEqual(["Home", "Meetings", "Calendar", "Account"]);
    for (const name of ["Billing", "Admin"]) {
      const item = within(nav).getByText(name).closest("li")!;
      expect(item).toHaveAttribute("aria-disabled", "true");
      expect(item).toHaveTextContent("Coming soon");
    }
  });

  it("signs out from the account menu", async () => {
    let signedIn = true;
    mockFetch((request) => {
      if (!new URL(request.url).pathname.endsWith("/auth/session")) return undefined;
      if (request.method === "DELETE") signedIn = false;
      return signedIn ? authenticated() : anonymous();
    });
    const router = renderApp("/calendar");
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Account menu" }));
    await user.click(screen.getByRole("menuitem", { name: "Sign out" }));
    expect(await screen.findByRole("link", { name: "Sign up" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/");
  });
});
