/** The connection panel on every supplier page: wallet, network, sign-in, and what to do next. */
import { shortHex } from "../lib/format";
import { connectWallet, signIn, signOut, switchNetwork, useAccount } from "./account";

export function AccountBar(): JSX.Element {
  const { config, account, chainId, session, error, busy } = useAccount();
  const wrongChain = config !== null && chainId !== null && chainId !== config.chain.chainId;
  const signedIn = account !== null && session !== null && session.toLowerCase() === account.toLowerCase();
  return (
    <section className="account-bar" aria-label="Wallet">
      {account === null ? (
        <p>
          No wallet connected.{" "}
          <button type="button" onClick={() => void connectWallet()} disabled={busy}>
            Connect wallet
          </button>
        </p>
      ) : (
        <p>
          Wallet <code title={account}>{shortHex(account)}</code>
          {config && !wrongChain && <> on {config.chain.chainName}</>}
          {signedIn ? (
            <>
              {" "}
              · signed in{" "}
              <button type="button" className="link-button" onClick={() => void signOut()} disabled={busy}>
                Sign out
              </button>
            </>
          ) : (
            <>
              {" "}
              <button type="button" onClick={() => void signIn()} disabled={busy}>
                Sign in with Ethereum
              </button>
            </>
          )}
        </p>
      )}
      {wrongChain && config && (
        <p className="error" role="alert">
          Your wallet is on chain {chainId}, not {config.chain.chainName} (chain {config.chain.chainId}).{" "}
          <button type="button" onClick={() => void switchNetwork()} disabled={busy}>
            Switch network
          </button>
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
