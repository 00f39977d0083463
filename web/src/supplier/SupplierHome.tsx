/** The trade party's start page: connect the wallet, add the network, sign in, and where to go next. */
import { AccountBar } from "./AccountBar";
import { useAccount } from "./account";

export function SupplierHome(): JSX.Element {
  const { config } = useAccount();
  return (
    <section className="narrow">
      <h1>Trade party sign-in</h1>
      <p>
        Mills, processors, chambers of commerce, exporters, importers and customs brokers act here with their own wallet
        (MetaMask, Rabby, Frame, or a Ledger through them). Nothing is signed without your wallet asking you.
      </p>
      <AccountBar />
      {config && (
        <p>
          Network: {config.chain.chainName} (chain {config.chain.chainId}).
          {config.relayer ? " This server offers gasless submission." : ""}
        </p>
      )}
      <ul>
        <li>
          <a href="#/supplier/me">Who am I</a>: your actor record (DID, roles, validity).
        </li>
        <li>
          <a href="#/supplier/issue">Issue a document</a>: a mill test report or a certificate of origin.
        </li>
        <li>
          <a href="#/supplier/derive">Derive a product</a>: a processor&apos;s slab, coil or pipe from its inputs.
        </li>
        <li>
          <a href="#/supplier/shipment">File a shipment</a> and link documents to its lines.
        </li>
      </ul>
    </section>
  );
}
