// Builds the portal's front-end assets into static/build/ (generated, not committed).
//
//   npm run build
//
// Compiles static/src/portal.scss with the Sass JS API and copies what the pages load from
// govuk-frontend: its images (never the GDS Transport fonts, which are only for gov.uk services)
// and its ES module bundle; and htmx, which pages use for progressive enhancement only. Django serves static/build/ through staticfiles; Node is not needed
// at run time.
import { copyFile, cp, mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import * as sass from "sass";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "static", "src");
const build = join(root, "static", "build");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

async function compileStyles() {
  const result = await sass.compileAsync(join(source, "portal.scss"), {
    style: "compressed",
    loadPaths: [join(root, "node_modules")],
    // govuk-frontend 5 still uses @import and global functions internally: keep its
    // deprecation notices out of the build log, but show our own.
    quietDeps: true,
    silenceDeprecations: ["import", "global-builtin"],
  });
  await writeFile(join(build, "portal.css"), result.css + "\n");
}

async function copyAssets() {
  await cp(join(govuk, "assets", "images"), join(build, "assets", "images"), { recursive: true });
  await copyFile(join(govuk, "govuk-frontend.min.js"), join(build, "govuk-frontend.min.js"));
  await copyFile(join(root, "node_modules", "htmx.org", "dist", "htmx.min.js"),
                 join(build, "htmx.min.js"));
  await copyFile(join(source, "portal.js"), join(build, "portal.js"));
  await copyFile(join(source, "favicon.svg"), join(build, "favicon.svg"));
}

async function main() {
  await rm(build, { recursive: true, force: true });
  await mkdir(build, { recursive: true });
  await Promise.all([compileStyles(), copyAssets()]);
  console.log(`Built ${build}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
