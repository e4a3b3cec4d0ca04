import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The API the dev server proxies to (`vigil serve` on its default port unless VIGIL_API says otherwise).
const api = process.env.VIGIL_API ?? "http://127.0.0.1:8080";

export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: { "/v1": api, "/healthz": api, "/openapi.json": api },
  },
  test: {
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
    environment: "node",
  },
});
