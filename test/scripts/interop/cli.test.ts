import { expect } from "chai";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { HELP, main, type InteropIo } from "../../../scripts/interop/cli";
import { startDemoInteropNode } from "../../../scripts/interop/demo";
import { PASSWORD_ENV, loadKeyring } from "../../../interop/server/keys";
import type { InteropNode } from "../../../interop/server/node";
import { NodeStore } from "../../../interop/server/store";
import { freshDataDir } from "../../interop/helpers";

function io(env: NodeJS.ProcessEnv = {}): InteropIo & { out: string; err: string } {
  const captured = { out: "", err: "" };
  return Object.assign(captured, {
    stdout: (t: string) => void (captured.out += t),
    stderr: (t: string) => void (captured.err += t),
    env,
    cwd: process.cwd(),
  });
}

describe("npm run interop @no-coverage", function () {
  const PASSWORD = "interop-cli-password";

  it("prints its help", async () => {
    const out = io();
    expect(await main(["--help"], out)).to.equal(0);
    expect(out.out).to.equal(HELP);
    for (const command of ["serve", "add-client", "rotate-key", "onboard"]) expect(HELP).to.include(command);
  });

  it("refuses an unknown command or option", async () => {
    expect(await main(["explode"], io())).to.equal(2);
    expect(await main(["--bogus"], io())).to.equal(2);
  });

  it("add-client prints the secret once and stores only its hash, with the scopes asked for", async () => {
    const dataDir = freshDataDir();
    const out = io();
    expect(
      await main(
        ["add-client", "--name", "platform", "--scopes", "resolve:dids verify:credentials", "--data-dir", dataDir],
        out,
      ),
    ).to.equal(0);
    const secret = /client_secret (\S+)/.exec(out.out)?.[1] as string;
    expect(secret).to.have.length.above(30);
    const stored = readFileSync(path.join(dataDir, "clients.json"), "utf8");
    expect(stored).to.not.include(secret);
    expect(JSON.parse(stored).clients[0].scopes).to.deep.equal(["resolve:dids", "verify:credentials"]);
    const bad = io();
    expect(await main(["add-client", "--name", "x", "--scopes", "root:all", "--data-dir", dataDir], bad)).to.equal(1);
    expect(bad.err).to.include("unknown scope root:all");
  });

  it("rotate-key adds a key generation to the keystore and keeps the old one", async () => {
    const dataDir = freshDataDir();
    const env = { [PASSWORD_ENV]: PASSWORD };
    const before = loadKeyring({ dataDir, env }).ring;
    const out = io(env);
    expect(await main(["rotate-key", "--data-dir", dataDir], out)).to.equal(0);
    expect(out.out).to.include("generation 2");
    const after = loadKeyring({ dataDir, env }).ring;
    expect(after.generations.map((g) => g.n)).to.deep.equal([1, 2]);
    expect(after.generations[0]).to.deep.equal(before.generations[0]);
    expect(out.out + out.err).to.not.include(after.generations[1].p256.d as string);
  });

  it("onboard puts a did:web document in the directory and refuses anything else", async () => {
    const dataDir = freshDataDir();
    const file = path.join(dataDir, "mill.json");
    writeFileSync(file, JSON.stringify({ id: "did:web:mill.example", service: [] }));
    expect(await main(["onboard", "--did-document", file, "--data-dir", dataDir], io())).to.equal(0);
    const store = new NodeStore(dataDir);
    expect(store.directoryEntry("did:web:mill.example")).to.deep.equal({ id: "did:web:mill.example", service: [] });
    store.close();
    writeFileSync(file, JSON.stringify({ id: "did:key:z6Mk" }));
    expect(await main(["onboard", "--did-document", file, "--data-dir", dataDir], io())).to.equal(1);
  });

  it("serve starts the node and prints its URL and DID; npm start's node keeps demo keys in memory", async () => {
    const dataDir = freshDataDir();
    const out = io({ [PASSWORD_ENV]: PASSWORD });
    const node = (await main(["serve", "--port", "0", "--http", "--data-dir", dataDir], out)) as InteropNode;
    try {
      expect(out.out).to.include(`trace-interop node at ${node.url}`);
      expect(out.out).to.include(`DID ${node.did}`);
      expect(out.out).to.include("anchoring off");
    } finally {
      await node.close();
    }
    const lines: string[] = [];
    const demo = await startDemoInteropNode(freshDataDir(), (line) => lines.push(line));
    try {
      expect(demo.url).to.match(/^https:\/\/localhost:\d+$/);
      if (!process.env[PASSWORD_ENV]) expect(lines.join("\n")).to.include("keys are in memory");
    } finally {
      await demo.close();
    }
  });

  describe("chain settings", function () {
    const KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

    /** A deployments file with the three registries the anchoring needs (addresses only; no chain is asked). */
    function deploymentFile(
      contracts: string[] = ["ActorRegistry", "MillTestReportRegistry", "CertificateOfOriginRegistry"],
    ) {
      const file = path.join(freshDataDir(), "localhost.json");
      const entries = Object.fromEntries(
        contracts.map((name, i) => [
          name,
          { address: `0x${String(i + 1).padStart(40, "0")}`, implementation: "", blockNumber: 1 },
        ]),
      );
      writeFileSync(
        file,
        JSON.stringify({ network: "localhost", chainId: 31337, deployer: "", contracts: entries, startBlock: 1 }),
      );
      return file;
    }

    async function refused(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
      const out = io({ [PASSWORD_ENV]: PASSWORD, ...env });
      const code = await main(["serve", "--port", "0", "--http", "--data-dir", freshDataDir(), ...argv], out);
      expect(code, out.out).to.equal(1);
      expect(out.out).to.equal("");
      expect(out.err).not.to.include(KEY.slice(2));
      return out.err;
    }

    it("refuses --deployment or --network without --rpc, and --rpc without a deployment", async () => {
      expect(await refused(["--deployment", deploymentFile()])).to.include("--deployment and --network need --rpc URL");
      expect(await refused(["--network", "localhost"])).to.include("need --rpc URL");
      expect(await refused(["--rpc", "http://127.0.0.1:1"])).to.include(
        "--rpc needs one of --deployment FILE or --network NAME",
      );
    });

    it("refuses a deployment without the registries, and anchoring without the relayer key", async () => {
      const partial = deploymentFile(["ActorRegistry"]);
      expect(await refused(["--rpc", "http://127.0.0.1:1", "--deployment", partial])).to.include(
        `deployment ${partial} has no MillTestReportRegistry`,
      );
      expect(await refused(["--rpc", "http://127.0.0.1:1", "--deployment", deploymentFile()])).to.include(
        "anchoring needs the node's relayer key: set TRADETRACE_INTEROP_RELAYER_KEYSTORE or TRADETRACE_INTEROP_RELAYER_KEY",
      );
      expect(
        await refused(["--rpc", "http://127.0.0.1:1", "--deployment", deploymentFile()], {
          TRADETRACE_INTEROP_RELAYER_KEY: "0x1234",
        }),
      ).to.include("TRADETRACE_INTEROP_RELAYER_KEY is not a valid private key");
    });

    it("says when the chain cannot be reached, never printing the key", async () => {
      const err = await refused(["--rpc", "http://127.0.0.1:1", "--deployment", deploymentFile()], {
        TRADETRACE_INTEROP_RELAYER_KEY: KEY,
      });
      expect(err).to.include("cannot reach the chain at http://127.0.0.1:1");
    });
  });
});
