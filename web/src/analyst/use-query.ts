/** Runs an async read when a page opens (and again when `key` changes), keeping its answer or error. */
import { useEffect, useState } from "react";
import { QueryError } from "../lib/graphql";
import { messageOf } from "../../../lib/errors";

export type Load<T> =
  { state: "loading" } | { state: "error"; message: string; unauthorized: boolean } | { state: "done"; data: T };

export function useLoad<T>(read: () => Promise<T>, key: string): Load<T> {
  const [load, setLoad] = useState<Load<T>>({ state: "loading" });
  useEffect(() => {
    let live = true;
    setLoad({ state: "loading" });
    read().then(
      (data) => live && setLoad({ state: "done", data }),
      (e: unknown) =>
        live &&
        setLoad({
          state: "error",
          message: messageOf(e),
          unauthorized: e instanceof QueryError && e.unauthorized,
        }),
    );
    return () => {
      live = false;
    };
    // `read` is rebuilt at each render; `key` says when what it reads changed.
  }, [key]);
  return load;
}
