import { afterEach, describe, expect, it, vi } from "vitest";
import { mockFetch } from "../test/server";
import { api } from "./clients";
import { readCookie } from "./csrf";

afterEach(() => vi.unstubAllGlobals());

describe("CSRF", () => {
  it("reads a cookie among others, decoded", () => {
    document.cookie = "theme=dark";
    document.cookie = "csrftoken=abc%3D123";
    expect(readCookie("csrftoken")).toBe("abc=123");
    expect(readCookie("missing")).toBeNull();
  });

  it("sends the X-CSRFToken header on unsafe methods only", async () => {
    document.cookie = "csrftoken=tok123";
    const seen = mockFetch(() => ({ status: 200, body: {} }));
    await api.GET("/api/v1/me");
    await api.PATCH("/api/v1/me", { body: { full_name: "Ada" } });
    await api.DELETE("/api/v1/me/avatar");
    expect(seen.map((r) => [r.method, r.headers.get("X-CSRFToken")])).toEqual([
      ["GET", null],
      ["PATCH", "tok123"],
      ["DELETE", "tok123"],
    ]);
  });
});
