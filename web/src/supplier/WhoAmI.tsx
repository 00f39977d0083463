/** "Who am I": the connected account's actor record, in words. */
import { useEffect, useState } from "react";
import { formatDate } from "../lib/format";
import { AccountBar } from "./AccountBar";
import { useAccount } from "./account";
import { actorOf, activeRoles, type ActorRecord } from "./actor";

export function WhoAmI(): JSX.Element {
  const { account, session } = useAccount();
  const signedIn = account !== null && session !== null && session.toLowerCase() === account.toLowerCase();
  const [actor, setActor] = useState<ActorRecord | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setActor(undefined);
    setError(null);
    // The query API answers a wallet only with its session: read once signed in.
    if (account && signedIn) actorOf(account).then(setActor, (e: Error) => setError(e.message));
  }, [account, signedIn]);
  const now = Math.floor(Date.now() / 1000);

  return (
    <section>
      <h1>Who am I</h1>
      <AccountBar />
      {account && !signedIn && <p>Sign in with your wallet to see the record the registry keeps about you.</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {account && actor === null && (
        <p className="error" role="alert" data-testid="not-actor">
          {account} is not an onboarded actor. A trusted credential issuer (a chamber of commerce, a trade association)
          must onboard this account before it can issue documents or file shipments.
        </p>
      )}
      {actor && (
        <dl className="facts" data-testid="actor">
          <dt>DID</dt>
          <dd>{actor.did}</dd>
          <dt>Address</dt>
          <dd>
            <code>{actor.id}</code>
          </dd>
          <dt>Roles</dt>
          <dd>{actor.roleNames.join(", ") || "none"}</dd>
          <dt>Active now as</dt>
          <dd>{activeRoles(actor, now).join(", ") || "nothing (see below)"}</dd>
          <dt>Country</dt>
          <dd>{actor.country}</dd>
          <dt>Credential issued by</dt>
          <dd>
            <code>{actor.issuer.id}</code> {actor.issuer.active ? "(trusted)" : "(no longer trusted)"}
          </dd>
          <dt>Valid</dt>
          <dd>
            {formatDate(actor.validFrom)} to {formatDate(actor.validUntil)}
          </dd>
          <dt>Suspension</dt>
          <dd>{actor.suspended ? "suspended by CBP" : "not suspended"}</dd>
          <dt>Credential</dt>
          <dd>{actor.credentialRevoked ? "revoked" : "in force"}</dd>
          <dt>Onboarded</dt>
          <dd>{formatDate(actor.onboardedAt)}</dd>
        </dl>
      )}
    </section>
  );
}
