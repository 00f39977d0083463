/**
 * The verifier, open to anyone: drop a credential file (or pick one) and see three checks side by side,
 * TradeTrust-style: integrity (its hash is anchored), status (active, revoked, superseded, expired) and issuer
 * identity (the credential's issuer DID is the on-chain actor that anchored it; a mismatch is shown loudly).
 * The checks are scripts/credentials/verify.ts, the code the CLI's `verify` runs, over a GraphQL lookup.
 */
import { useState, type DragEvent } from "react";
import { CheckCard } from "./CheckCard";
import type { VerifierOutcome } from "./verify-file";
import "./verifier.css";

type State =
  { state: "idle" } | { state: "checking"; name: string } | { state: "done"; name: string; outcome: VerifierOutcome };

/** Bigger files are not credentials; refusing them keeps a mistaken drop from freezing the tab. */
const MAX_BYTES = 2 * 1024 * 1024;

export function VerifierPage() {
  const [state, setState] = useState<State>({ state: "idle" });
  const [dragging, setDragging] = useState(false);

  const check = async (file: File | undefined) => {
    if (!file) return;
    setState({ state: "checking", name: file.name });
    const outcome: VerifierOutcome =
      file.size > MAX_BYTES
        ? { kind: "refused", message: `${file.name} is ${file.size} bytes: a credential file is far smaller` }
        : // The checks bring the proof libraries (jose, jsonld): loaded when a file arrives, not with the app.
          await import("./verify-file").then(async (m) => m.verifyFile(file.name, await file.text()));
    setState({ state: "done", name: file.name, outcome });
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    void check(e.dataTransfer.files[0]);
  };

  return (
    <div className="verifier">
      <h1>Verify a credential</h1>
      <p>
        Check a mill test report or certificate of origin credential (W3C Traceability, JSON) against the registries.
        The file stays in your browser; only its hash and issuer are looked up.
      </p>
      <div
        className={`drop-zone${dragging ? " dragging" : ""}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="drop-zone"
      >
        <p>Drop a credential file here, or</p>
        <label htmlFor="credential-file">Choose a credential file</label>{" "}
        <input
          id="credential-file"
          type="file"
          accept=".json,.jsonld,.jwt,application/json"
          onChange={(e) => void check(e.target.files?.[0])}
        />
      </div>
      {state.state === "checking" ? <p aria-busy="true">Checking {state.name}…</p> : null}
      {state.state === "done" ? <Outcome name={state.name} outcome={state.outcome} /> : null}
    </div>
  );
}

function Outcome({ name, outcome }: { name: string; outcome: VerifierOutcome }) {
  if (outcome.kind === "refused") {
    return (
      <p role="alert" className="error" data-testid="verifier-refused">
        {outcome.message}
      </p>
    );
  }
  return (
    <section aria-labelledby="result-heading" data-testid="verifier-result">
      <h2 id="result-heading">
        {name}: {outcome.summary}
      </h2>
      {outcome.issuerMismatch ? (
        <p role="alert" className="issuer-mismatch" data-testid="issuer-mismatch">
          ⚠ Issuer mismatch: {outcome.issuerMismatch}
        </p>
      ) : null}
      <div className="checks">
        {outcome.checks.map((c) => (
          <CheckCard key={c.title} check={c} />
        ))}
      </div>
      {outcome.facts.length > 0 ? (
        <ul className="muted">
          {outcome.facts.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
