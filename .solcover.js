// Harnesses under contracts/test/ are never deployed, so they are not measured.
module.exports = {
  skipFiles: ["test/"],
  istanbulReporter: ["text-summary", "json-summary", "html"],
  mocha: { grep: "@no-coverage", invert: true },
};
