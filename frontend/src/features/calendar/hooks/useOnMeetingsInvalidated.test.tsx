import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it, vi } from "vitest";
import { MEETINGS_KEY } from "../../meetings/queryKeys";
import { CALENDAR_VERSION_KEY, useOnMeetingsInvalidated } from "./useOnMeetingsInvalidated";

describe("refetching the calendar", () => {
  it("happens when MEETINGS_KEY is invalidated, not on mount", async () => {
    const client = new QueryClient();
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
    const refetch = vi.fn();
    renderHook(() => useOnMeetingsInvalidated(refetch), { wrapper });
    await waitFor(() => expect(client.getQueryState(CALENDAR_VERSION_KEY)?.status).toBe("success"));
    expect(refetch).not.toHaveBeenCalled();

    // Distinct timestamps even within one millisecond.
    await new Promise((resolve) => setTimeout(resolve, 2));
    await act(() => client.invalidateQueries({ queryKey: MEETINGS_KEY }));
    await waitFor(() => expect(refetch).toHaveBeenCalledOnce());
  });
});
