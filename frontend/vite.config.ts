/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The dev server forwards everything the Django backend owns (BACKEND_URL, default :8000).
const backend = process.env.BACKEND_URL ?? "http://127.0.0.1:8000";
const proxied = ["/api", "/_allauth", "/accounts", "/dev", "/admin", "/static", "/media"];

export default defineConfig({
  plugins: [react()],
  build: {
    rollupOptions: {
      output: {
        // Libraries change less often than the app: keep them in their own cacheable chunks.
        // The calendar library is loaded with the calendar page only.
        manualChunks: (id) =>
          id.includes("node_modules/@mui/") || id.includes("node_modules/@emotion/")
            ? "mui"
            : id.includes("node_modules/@fullcalendar/")
              ? "calendar"
              : id.includes("node_modules/")
                ? "vendor"
                : undefined,
      },
    },
  },
  server: {
    proxy: {
      ...Object.fromEntries(proxied.map((prefix) => [prefix, { target: backend }])),
      "/ws": { target: backend, ws: true },
    },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    restoreMocks: true,
    // A limit, not a speed check: typing through user-event takes seconds on a busy 2-core machine.
    testTimeout: 20_000,
  },
});
