/** `dataSource.create*`: data sources a handler starts from the manifest's templates. */
import type { EntityData } from "../../store/types";
import { DeterministicError } from "../errors";
import type { HostContext } from "./context";

/** Records a data source from template `template`; it starts at the current block (see ../../chain/runner.ts). */
export function createDataSource(
  ctx: HostContext,
  template: string,
  params: string[],
  context: EntityData | null,
): void {
  const templates = ctx.ds!.templates;
  if (!templates.has(template)) {
    throw new DeterministicError(
      `Failed to create data source from name \`${template}\`: No template with this name in parent data ` +
        `sources. Available names: ${[...templates].join(", ")}`,
    );
  }
  ctx.state!.created.push({ template, params, context });
}
