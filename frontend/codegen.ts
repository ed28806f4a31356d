import type { CodegenConfig } from "@graphql-codegen/cli";

// Reads the Go server's schema files directly (no running server) and writes
// typed documents for every graphql() call under src/ into src/graphql/.
const config: CodegenConfig = {
  schema: ["../graph/schema/*.graphqls"],
  documents: ["src/**/*.{ts,tsx}", "!src/graphql/**/*"],
  ignoreNoDocuments: true,
  generates: {
    "src/graphql/": {
      preset: "client",
      config: {
        scalars: { ID: "string", Time: "string", Date: "string", Cursor: "string", Map: "Record<string, unknown>", Upload: "File" },
        enumsAsTypes: true,
        useTypeImports: true,
        skipTypename: false,
      },
    },
  },
};

export default config;
