import * as effectEslint from "@effect/eslint-plugin"
import tseslint from "typescript-eslint"

export default tseslint.config(
  { ignores: ["**/build/**", "**/dist/**", "**/node_modules/**", "bench/results/**", "**/*.d.ts", "**/*.mjs"] },
  ...tseslint.configs.recommended,
  ...effectEslint.configs.dprint,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/ban-ts-comment": "error",
      "@typescript-eslint/consistent-type-imports": "warn",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-namespace": "off",
      "@typescript-eslint/no-empty-object-type": "off",
      // One import of the "effect" barrel per module instead of one per subpath: every bare specifier costs Node's
      // ESM loader a package resolution, and ~100 of them were a fifth of the gateway's cold import
      // (bench/cold.ts). An Effect app has loaded the barrel anyway; bundlers tree-shake it (sideEffects: []).
      "no-restricted-imports": ["error", {
        patterns: [{ group: ["effect/*"], message: "Import from \"effect\" (one barrel import per module)." }]
      }],
      "@effect/dprint": [
        "error",
        {
          config: {
            indentWidth: 2,
            lineWidth: 120,
            semiColons: "asi",
            quoteStyle: "alwaysDouble",
            trailingCommas: "never",
            operatorPosition: "maintain",
            "arrowFunction.useParentheses": "force"
          }
        }
      ]
    }
  },
  {
    files: ["packages/*/src/**/*.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: "ThrowStatement", message: "Library code never throws: fail with a typed error." },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: "Use Clock / DateTime so that TestClock works."
        }
      ]
    }
  }
)
