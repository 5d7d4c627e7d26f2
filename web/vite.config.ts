import { defineConfig } from "vite";

// The built app ships inside the Python package and is served by flowscope's server.
export default defineConfig({
  base: "./",
  build: {
    outDir: "../src/flowscope/web/static",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: { proxy: { "/data": "http://127.0.0.1:6006", "/api": "http://127.0.0.1:6006" } },
});
