import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, renderHook } from "@testing-library/react";
import type { ReactNode } from "react";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { anonymous, mockFetch } from "../../../test/server";
import { installFakePush, uninstallFakePush } from "../../notifications/testing/fakePush";
import { useSignOut } from "./useSignOut";

afterEach(() => {
  vi.unstubAllGlobals();
  uninstallFakePush();
});

function signOutWith(pushDelete: number) {
  const seen = mockFetch((request) => {
    const path = new URL(request.url).pathname;
    if (path === "/api/v1/notifications/push/subscriptions/delete") return { status: pushDelete };
    if (path === "/_allauth/browser/v1/auth/session" && request.method === "DELETE") return anonymous();
  });
  const queryClient = new QueryClient();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>
      <MemoryRouter>{children}</MemoryRouter>
    </QueryClientProvider>
  );
  const { result } = renderHook(() => useSignOut(), { wrapper });
  return { seen, signOut: () => act(() => result.current.mutateAsync()) };
}

const calls = (seen: Request[]) => seen.map((r) => `${r.method} ${new URL(r.url).pathname}`);

describe("sign out", () => {
  it("first drops this browser's push subscription, while the session can still say whose it is", async () => {
    const push = installFakePush("granted", { subscribed: true });
    const { seen, signOut } = signOutWith(204);

    expect((await signOut()).kind).toBe("anonymous");

    expect(calls(seen)).toEqual(["POST /api/v1/notifications/push/subscriptions/delete", "DELETE /_allauth/browser/v1/auth/session"]);
    expect(await seen[0].json()).toEqual({ endpoint: "https://push.example/abc" });
    expect(push.unsubscribe).toHaveBeenCalledTimes(1);
  });

  it("signs out all the same when the push clean-up fails", async () => {
    installFakePush("granted", { subscribed: true }).unsubscribe.mockRejectedValue(new Error("gone"));
    const { seen, signOut } = signOutWith(500);

    expect((await signOut()).kind).toBe("anonymous");
    expect(calls(seen)).toContain("DELETE /_allauth/browser/v1/auth/session");
  });

  it("signs out without push", async () => {
    const { seen, signOut } = signOutWith(204);
    expect((await signOut()).kind).toBe("anonymous");
    expect(calls(seen)).toEqual(["DELETE /_allauth/browser/v1/auth/session"]);
  });
});
