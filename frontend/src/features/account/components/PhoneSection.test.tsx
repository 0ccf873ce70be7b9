import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderApp } from "../../../test/renderApp";
import { authenticated, mockFetch } from "../../../test/server";

afterEach(() => vi.unstubAllGlobals());

const ALLAUTH = "/_allauth/browser/v1";
const path = (request: Request) => new URL(request.url).pathname;
const me = { id: "1", email: "ada@example.com", full_name: "Ada", display_name: "Ada", timezone: "UTC", has_avatar: false, phone: null };
const reauthRequired = { status: 401, body: { status: 401, data: { flows: [{ id: "reauthenticate" }] }, meta: { is_authenticated: true } } };

describe("phone number section", () => {
  it("texts a code to the new number (confirming it's you first) and verifies it", async () => {
    let phone = { phone: "+919800000001", verified: false };
    let confirmed = false;
    const seen = mockFetch((request) => {
      const url = path(request);
      if (url === `${ALLAUTH}/auth/session`) return authenticated();
      if (url === "/api/v1/me") return { status: 200, body: me };
      if (url === `${ALLAUTH}/account/phone` && request.method === "GET") return { status: 200, body: { status: 200, data: [phone] } };
      if (url === `${ALLAUTH}/account/phone`)
        return confirmed ? { status: 202, body: { status: 202, data: [{ phone: "+919812345678", verified: false }] } } : reauthRequired;
      if (url === `${ALLAUTH}/auth/reauthenticate`) {
        confirmed = true;
        return authenticated();
      }
      if (url === `${ALLAUTH}/auth/phone/verify`) {
        phone = { phone: "+919812345678", verified: true };
        return authenticated();
      }
    });
    renderApp("/account/profile");
    const user = userEvent.setup();

    const section = await screen.findByRole("region", { name: "Phone number" });
    expect(await within(section).findByText("+919800000001")).toBeInTheDocument();
    expect(within(section).getByText("Not verified")).toBeInTheDocument();
    expect(screen.queryByRole("textbox", { name: "Phone" })).not.toBeInTheDocument();

    await user.type(within(section).getByRole("textbox", { name: "Phone number" }), " +919812345678 ");
    await user.click(within(section).getByRole("button", { name: "Send code" }));

    const dialog = await screen.findByRole("dialog", { name: "Confirm it's you" });
    await user.type(within(dialog).getByLabelText("Password"), "secret pass");
    await user.click(within(dialog).getByRole("button", { name: "Confirm" }));

    await user.type(await within(section).findByRole("textbox", { name: "SMS code" }), "ABCD-EFGH");
    await user.click(within(section).getByRole("button", { name: "Verify phone" }));

    expect(await within(section).findByRole("status")).toHaveTextContent("Phone number verified");
    expect(await within(section).findByText("Verified")).toBeInTheDocument();
    expect(within(section).getByText("+919812345678")).toBeInTheDocument();
    const bodies = await Promise.all(
      seen.filter((r) => r.method === "POST" && path(r).startsWith(ALLAUTH)).map(async (r) => [path(r), await r.json()]),
    );
    expect(bodies).toEqual([
      [`${ALLAUTH}/account/phone`, { phone: "+919812345678" }],
      [`${ALLAUTH}/auth/reauthenticate`, { password: "secret pass" }],
      [`${ALLAUTH}/account/phone`, { phone: "+919812345678" }],
      [`${ALLAUTH}/auth/phone/verify`, { code: "ABCD-EFGH" }],
    ]);
  });

  it("shows allauth's error under the number", async () => {
    mockFetch((request) => {
      const url = path(request);
      if (url === `${ALLAUTH}/auth/session`) return authenticated();
      if (url === "/api/v1/me") return { status: 200, body: me };
      if (url === `${ALLAUTH}/account/phone` && request.method === "GET") return { status: 200, body: { status: 200, data: [] } };
      if (url === `${ALLAUTH}/account/phone`)
        return { status: 400, body: { status: 400, errors: [{ code: "invalid", message: "Enter a valid phone number.", param: "phone" }] } };
    });
    renderApp("/account/profile");
    const user = userEvent.setup();
    expect(await screen.findByText("No phone number yet.")).toBeInTheDocument();
    const field = screen.getByRole("textbox", { name: "Phone number" });
    await user.type(field, "12345");
    await user.click(screen.getByRole("button", { name: "Send code" }));
    expect(await screen.findByText("Enter a valid phone number.")).toBeInTheDocument();
    expect(field).toHaveAttribute("aria-invalid", "true");
  });
});
