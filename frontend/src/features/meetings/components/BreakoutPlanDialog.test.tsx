import { ThemeProvider } from "@mui/material";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { theme } from "../../../app/theme";
import { mockFetch } from "../../../test/server";
import { BreakoutPlanDialog } from "./BreakoutPlanDialog";

afterEach(() => vi.unstubAllGlobals());

const PLAN = {
  status: "closed",
  allow_choosing: false,
  duration_minutes: null,
  countdown_seconds: 60,
  rooms: [{ id: "r1", name: "Red", emails: ["ann@example.com"] }],
};

function renderDialog(onClose = vi.fn()) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <ThemeProvider theme={theme}>
        <BreakoutPlanDialog code="abcd-efgh-jkmn" title="Class" invitees={["ann@example.com", "bo@example.com"]} onClose={onClose} />
      </ThemeProvider>
    </QueryClientProvider>,
  );
  return { onClose, user: userEvent.setup() };
}

describe("preparing breakout rooms ahead", () => {
  it("loads the plan, puts an invitee in a new room, sets a timer and saves it whole", async () => {
    mockFetch((request) => (["GET", "PUT"].includes(request.method) ? { status: 200, body: PLAN } : undefined));
    const fetchMock = vi.mocked(fetch);
    const { user, onClose } = renderDialog();
    expect(await screen.findByRole("textbox", { name: "Room 1 name" })).toHaveValue("Red");
    expect(screen.getByText("Not in a room yet: bo@example.com")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Add room" }));
    await user.type(screen.getByRole("textbox", { name: "People in room 2" }), "bo@example.com");
    expect(screen.queryByText(/Not in a room yet/)).not.toBeInTheDocument();
    await user.type(screen.getByRole("textbox", { name: "Timer (minutes)" }), "15");
    await user.click(screen.getByRole("button", { name: "Save" }));
    await vi.waitFor(() => expect(onClose).toHaveBeenCalled());
    const put = fetchMock.mock.calls.map(([input]) => input as Request).find((request) => request.method === "PUT");
    expect(await put?.clone().json()).toEqual({
      allow_choosing: false,
      duration_minutes: 15,
      countdown_seconds: 60,
      rooms: [
        { id: "r1", name: "Red", emails: ["ann@example.com"] },
        { id: null, name: "Room 2", emails: ["bo@example.com"] },
      ],
    });
  });

  it("shows the server's refusal and stays open", async () => {
    mockFetch((request) =>
      request.method === "GET"
        ? { status: 200, body: PLAN }
        : { status: 400, body: { code: "invalid_input", message: "Put each person in one room only.", detail: [{ loc: ["rooms"], msg: "Put each person in one room only." }] } },
    );
    const { user, onClose } = renderDialog();
    await user.click(await screen.findByRole("button", { name: "Save" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Put each person in one room only.");
    expect(onClose).not.toHaveBeenCalled();
  });
});
