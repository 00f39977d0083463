/** The outcome of a verification, as the VC API answers it (POST /credentials/verify). */
export interface VerificationResult {
  verified: boolean;
  errors: string[];
  warnings: string[];
  checks: string[];
}

/** Collects errors, warnings and the checks performed; `verified` is true only when no error was recorded. */
export class ResultBuilder {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  readonly checks: string[] = [];

  check(name: string): void {
    if (!this.checks.includes(name)) this.checks.push(name);
  }

  error(message: string): void {
    this.errors.push(message);
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  /** Folds a nested result in, its messages prefixed by where they come from. */
  include(prefix: string, nested: VerificationResult): void {
    this.errors.push(...nested.errors.map((message) => `${prefix}: ${message}`));
    this.warnings.push(...nested.warnings.map((message) => `${prefix}: ${message}`));
  }

  result(): VerificationResult {
    return { verified: this.errors.length === 0, errors: this.errors, warnings: this.warnings, checks: this.checks };
  }
}
