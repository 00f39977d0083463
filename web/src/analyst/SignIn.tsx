/** The analyst signs in with a bearer token the GraphQL server accepts (API key or JWT), kept for this tab. */
import { useState, type FormEvent } from "react";
import { gql, QueryError } from "../lib/graphql";
import { clearToken, getToken, setToken } from "../lib/session";
import { messageOf } from "../../../lib/errors";

/** Checks the token with the smallest query; resolves to an error message, or null when it is accepted. */
async function tryToken(): Promise<string | null> {
  try {
    await gql<{ _meta: { block: { number: number } } }>("{ _meta { block { number } } }");
    return null;
  } catch (e) {
    if (e instanceof QueryError && e.unauthorized) {
      return `This token was not accepted (${e.message}). Paste the token printed by npm start, or an API key or JWT your administrator issued.`;
    }
    return messageOf(e);
  }
}

export function SignIn(params: Record<string, string>): JSX.Element {
  const [token, setTokenText] = useState("");
  const [error, setError] = useState<string | null>(
    params.reason === "401" ? "Your session was refused: sign in again." : null,
  );
  const [busy, setBusy] = useState(false);
  const signedIn = getToken() !== null;

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (token.trim() === "") {
      setError("Paste a token first.");
      return;
    }
    setBusy(true);
    setToken(token);
    const why = await tryToken();
    setBusy(false);
    if (why) {
      clearToken();
      setError(why);
      return;
    }
    window.location.hash = params.next ?? "#/queue";
  };

  return (
    <section className="narrow">
      <h1>Analyst sign-in</h1>
      <p>
        The console reads the customs data through the query API, which asks for a bearer token: an API key or a JWT
        with the <code>tradetrace:read</code> scope. <code>npm start</code> prints a URL that signs you in, and writes
        the token to <code>.tradetrace/analyst.token</code>. The token stays in this browser tab only.
      </p>
      {signedIn && (
        <p className="notice">
          You are signed in.{" "}
          <button
            type="button"
            onClick={() => {
              clearToken();
              setError(null);
              setTokenText("");
              window.location.hash = "#/sign-in";
            }}
          >
            Sign out
          </button>
        </p>
      )}
      {/* submit shows its own failures (tryToken turns a refusal into a message): nothing to await here. */}
      <form onSubmit={(e) => void submit(e)}>
        <label htmlFor="token">Token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={token}
          onChange={(e) => setTokenText(e.target.value)}
          aria-describedby={error ? "sign-in-error" : undefined}
          aria-invalid={error ? true : undefined}
        />
        <button type="submit" disabled={busy}>
          {busy ? "Checking…" : "Sign in"}
        </button>
      </form>
      {error && (
        <p id="sign-in-error" className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
