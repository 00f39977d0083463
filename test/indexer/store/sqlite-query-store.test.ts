import { SqliteStore } from "../../../indexer/store/sqlite";
import { describeQueryStore } from "./query-store.spec";

describeQueryStore("SqliteQueryStore", (schema) => new SqliteStore(":memory:", schema));
