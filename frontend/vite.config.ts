/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The Go API; `make dev` runs it on :8080. Keep changeOrigin off: the
// websocket upgrade must keep the page's Host to count as same-origin.
const api = process.env.API_URL ?? "http://127.0.0.1:8080";
const proxy = { "/graphql": { target: api, ws: true }, "/certificats": { target: api }, "/.well-known": { target: api } };

export default defineConfig({
  plugins: [react()],
  // Two pages: the SPA and the API explorer (GraphiQL) served at /explorer/.
  build: {
    outDir: "dist",
    emptyOutDir: true,
    rollupOptions: { input: { main: "index.html", explorer: "explorer/index.html" } },
  },
  server: { host: "127.0.0.1", port: 5173, proxy },
  preview: { host: "127.0.0.1", port: 4173, proxy },
  test: {
    environment: "happy-dom",
    globals: true,
    setupFiles: ["./src/testing/setup.ts"],
    include: ["src/**/__tests__/**/*.test.{ts,tsx}"],
    css: false,
  },
});
