/** The process-wide schema set of the default vocabulary directory, loaded once on first use. */
import { SchemaSet, defaultVocabDir } from "./schemas";

let cached: SchemaSet | undefined;

/** `SchemaSet.load(defaultVocabDir())`, shared by the mappers when they are not given a schema set. */
export function defaultSchemas(): SchemaSet {
  const dir = defaultVocabDir();
  if (cached === undefined || cached.dir !== dir) cached = SchemaSet.load(dir);
  return cached;
}
