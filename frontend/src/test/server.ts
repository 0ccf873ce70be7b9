import { vi } from "vitest";

type Reply = { status: number; body?: unknown };
type Handler = (request: Request) => Reply | undefined;

/** Replaces fetch with `handler`; unhandled requests fail the test loudly. Returns the requests seen. */
export function mockFetch(handler: Handler): Request[] {
  const seen: Request[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: Request) => {
      seen.push(input.clone());
      const reply = handler(input);
      if (!reply) throw new Error(`unexpected request ${input.method} ${input.url}`);
      return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), {
        status: reply.status,
        headers: { "Content-Type": "application/json" },
      });
    }),
  );
  return seen;
}

type Flow = { id: string; is_pending?: true; provider?: { id: string; name: string; flows: string[] } };

export const anonymous = (flows: Flow[] = []) => ({
  status: 401,
  body: { status: 401, data: { flows }, meta: { is_authenticated: false } },
});

export const authenticated = (email = "ada@example.com") => ({
  status: 200,
  body: {
    status: 200,
    data: { user: { id: "1", display: "Ada", email, has_usable_password: true }, methods: [] },
    meta: { is_authenticated: true },
  },
});
