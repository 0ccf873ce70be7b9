// Regenerates the typed API clients' schemas from the backend (never edit the output by hand).
//   node scripts/generate-api.mjs          writes src/api/generated/
//   node scripts/generate-api.mjs --check  regenerates into a temp dir and fails if it differs
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const backend = resolve(root, "../backend");
const python = process.env.BACKEND_PYTHON ?? join(backend, ".venv/bin/python");
const committed = join(root, "src/api/generated");
const check = process.argv.includes("--check");
const outDir = check ? mkdtempSync(join(tmpdir(), "aapoon-api-")) : committed;
const files = ["aapoon.openapi.json", "aapoon.ts", "allauth.openapi.json", "allauth.ts"];

function run(cmd, args, cwd) {
  execFileSync(cmd, args, { cwd, stdio: ["ignore", "ignore", "inherit"] });
}

mkdirSync(outDir, { recursive: true });
run(
  python,
  ["manage.py", "export_openapi_schema", "--api", "config.api.api", "--indent", "2", "--sorted",
   "--output", join(outDir, "aapoon.openapi.json")],
  backend,
);
run(python, [join(root, "scripts/export_allauth_spec.py"), join(outDir, "allauth.openapi.json")], root);
for (const name of ["aapoon", "allauth"]) {
  run(
    join(root, "node_modules/.bin/openapi-typescript"),
    [join(outDir, `${name}.openapi.json`), "--output", join(outDir, `${name}.ts`), "--alphabetize"],
    root,
  );
}

if (check) {
  const stale = files.filter((file) => {
    const path = join(committed, file);
    return !existsSync(path) || readFileSync(path, "utf8") !== readFileSync(join(outDir, file), "utf8");
  });
  rmSync(outDir, { recursive: true, force: true });
  if (stale.length > 0) {
    console.error(`src/api/generated is out of date (${stale.join(", ")}): run npm run generate`);
    process.exit(1);
  }
  console.log("src/api/generated is up to date.");
}
