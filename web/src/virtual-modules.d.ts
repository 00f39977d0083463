/** Modules the web build generates (web/build/). */
declare module "virtual:credential-validators" {
  import type { ValidateFunction } from "ajv";
  const validators: Record<string, ValidateFunction>;
  export = validators;
}
