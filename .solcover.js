// Harnesses under contracts/test/ are never deployed, so they are not measured.
module.exports = {
  skipFiles: ["test/"],
  istanbulReporter: ["text-summary", "json-summary", "html"],
  mocha: { grep: "@no-coverage", invert: true },
  // OpenZeppelin's P256 (its Solidity fallback for chains without the EIP-7951 precompile) is too deep for the
  // stack without the optimizer; coverage compiles with the Yul optimizer on, as solidity-coverage recommends.
  configureYulOptimizer: true,
};
