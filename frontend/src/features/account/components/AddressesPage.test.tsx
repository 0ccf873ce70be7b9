import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderApp } from "../../../test/renderApp";
import { authenticated, mockFetch } from "../../../test/server";

afterEach(() => vi.unstubAllGlobals());

const address = (n: number) => ({
  id: String(n), name: `Place ${n}`, line1: "1 Main Road", line2: "", locality: "", city: "Pune", state: "", postal_code: "", country: "IN", phone: "",
});

describe("addresses", () => {
  // 51 address cards make a large DOM for jsdom's role queries: allow more than the 5 s default.
  it("loads the next page on 'Load more' while there are more than shown", { timeout: 15_000 }, async () => {
    const seen = mockFetch((request) => {
      const url = new URL(request.url);
      if (url.pathname === "/_allauth/browser/v1/auth/session") return authenticated();
      if (url.pathname === "/api/v1/me/addresses") {
        const offset = Number(url.searchParams.get("offset"));
        const items = offset === 0 ? Array.from({ length: 50 }, (_, n) => address(n)) : [address(50)];
        return { status: 200, body: { items, count: 51 } };
      }
    });
    renderApp("/account/addresses");
    const user = userEvent.setup();

    expect(await screen.findByText("Showing 50 of 51")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Load more" }));

    expect(await screen.findByText("Place 50")).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByText("Load more")).not.toBeInTheDocument());
    expect(seen.filter((r) => r.url.includes("/addresses")).map((r) => new URL(r.url).search)).toEqual([
      "?limit=50&offset=0",
      "?limit=50&offset=50",
    ]);
  });
});
