/** jsonld's context resolver (lib/ContextResolver.js), which canonize takes as its `contextResolver` option. */
declare module "jsonld/lib/ContextResolver" {
  interface SharedCache {
    get(key: string): unknown;
    set(key: string, value: unknown): void;
  }
  export default class ContextResolver {
    constructor(options: { sharedCache: SharedCache });
  }
}
