/**
 * The admin tool against a real `hardhat node` with the registries deployed by the deploy script: each command
 * in-process through `main` (as the CLI runs it), its `--help`, bad input, and two runs of the real CLI.
 */
import { expect } from "chai";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { JsonRpcProvider, Network, Wallet, encryptKeystoreJson, id, parseEther, type Signer } from "ethers";
import { KDF_MINIMUM } from "../../../scripts/credentials/keys";
import { HELP, main } from "../../../scripts/admin/cli";
import type { DeploymentFile } from "../../../scripts/lib/deployments";
import { BUSINESS_ROLES } from "../../../scripts/lib/vocabulary";
import {
  ActorRegistry__factory,
  MillTestReportRegistry__factory,
  ShipmentRegistry__factory,
  type ActorRegistry,
  type ShipmentRegistry,
} from "../../../typechain-types";
import { runDeployScript, runNode } from "../../helpers/deploy-script";
import { freePort, startHardhatNode, type HardhatNode } from "../../helpers/hardhat-node";

const ROOT = path.resolve(__dirname, "../../..");
const PASSWORD = "correct horse";
const COMMANDS = [
  "trust-issuer",
  "untrust-issuer",
  "onboard",
  "submit-credential",
  "grant-role",
  "revoke-role",
  "authorize-broker",
  "fund",
  "show",
  "new-key",
];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe("scripts/admin (npm run admin) @no-coverage", function () {
  this.timeout(300_000);
  let node: HardhatNode;
  let dir: string;
  let deploymentFile: string;
  let deployment: DeploymentFile;
  let provider: JsonRpcProvider;
  let governance: Signer;
  let actors: ActorRegistry;
  let shipments: ShipmentRegistry;
  /** Keystore files (password PASSWORD) and their wallets. */
  const keys: Record<string, { file: string; wallet: Wallet }> = {};

  /** The node's head, asked afresh: ethers answers a repeated getBlockNumber from a cache for 250 ms. */
  async function headNumber(): Promise<number> {
    return Number(await provider.send("eth_blockNumber", []));
  }

  /** Runs the tool in-process against the node and the deployments file, in `dir`. */
  async function admin(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
    let stdout = "";
    let stderr = "";
    // The defaults first: an option given by the test comes later and wins.
    const code = await main(["--rpc", node.url, "--deployments", deploymentFile, ...argv], {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      env,
      cwd: dir,
    });
    return { code, stdout, stderr };
  }

  const withKey = (name: string): string[] => ["--keystore", keys[name].file, "--password-file", "password"];

  /** Expects a one-line error containing `pattern`, exit code 1, and no block mined. */
  async function refused(argv: string[], pattern: RegExp | string, env?: NodeJS.ProcessEnv): Promise<string> {
    const before = await headNumber();
    const run = await admin(argv, env);
    expect(run.code, run.stdout + run.stderr).to.equal(1);
    expect(run.stdout).to.equal("");
    expect(run.stderr).to.match(/^error: [^\n]+\n$/);
    if (typeof pattern === "string") expect(run.stderr).to.include(pattern);
    else expect(run.stderr).to.match(pattern);
    expect(await headNumber(), "nothing was sent").to.equal(before);
    return run.stderr;
  }

  async function ok(argv: string[]): Promise<string> {
    const run = await admin(argv);
    expect(run.stderr).to.equal("");
    expect(run.code).to.equal(0);
    return run.stdout;
  }

  before(async function () {
    node = await startHardhatNode(await freePort());
    dir = mkdtempSync(path.join(tmpdir(), "tradetrace-admin-"));
    const deploy = await runDeployScript(node.url, dir);
    expect(deploy.code, deploy.stdout + deploy.stderr).to.equal(0);
    deploymentFile = path.join(dir, "localhost.json");
    deployment = JSON.parse(readFileSync(deploymentFile, "utf8")) as DeploymentFile;
    provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: Network.from(31337) });
    governance = await provider.getSigner(0);
    actors = ActorRegistry__factory.connect(deployment.contracts.ActorRegistry.address, provider);
    shipments = ShipmentRegistry__factory.connect(deployment.contracts.ShipmentRegistry.address, provider);
    writeFileSync(path.join(dir, "password"), `${PASSWORD}\n`);
    for (const name of ["issuer", "importer", "broker", "outsider", "empty"]) {
      const wallet = Wallet.createRandom() as unknown as Wallet;
      const file = path.join(dir, `${name}.json`);
      writeFileSync(file, await encryptKeystoreJson(wallet, PASSWORD, { scrypt: { N: KDF_MINIMUM.scryptN } }));
      keys[name] = { file, wallet };
      if (name !== "empty") {
        await (await governance.sendTransaction({ to: wallet.address, value: parseEther("5") })).wait();
      }
    }
  });

  after(async function () {
    provider?.destroy();
    await node?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe("--help", function () {
    it("lists every command, and each command explains itself", async function () {
      const overview = await ok(["--help"]);
      expect(overview).to.equal(HELP);
      const listed = [...HELP.matchAll(/^ {2}([a-z-]+) {2,}/gm)].map((m) => m[1]);
      expect(listed).to.deep.equal(COMMANDS);
      for (const command of COMMANDS) {
        const text = await ok([command, "--help"]);
        expect(text, command).to.match(new RegExp(`^Usage: npm run admin -- ${command}`));
        expect(text, command).to.include("--rpc URL").and.include("--deployments FILE");
      }
      expect(await ok(["onboard", "--help"]))
        .to.include("--legal-name NAME")
        .and.include("--out FILE");
    });
  });

  describe("governance and onboarding on a fresh deployment", function () {
    it("trusts an issuer for roles given by name (governance = devnet account #0)", async function () {
      const issuer = keys.issuer.wallet.address;
      const out = await ok(["trust-issuer", issuer, "--roles", "importer,CUSTOMS_BROKER,mill", "--dev-account", "0"]);
      expect(out).to.match(
        new RegExp(`^trusted ${issuer} to credential MILL\\|IMPORTER\\|CUSTOMS_BROKER \\(before: none\\)`),
      );
      expect(Number(await actors.trustedRolesOf(issuer))).to.equal(
        BUSINESS_ROLES.MILL | BUSINESS_ROLES.IMPORTER | BUSINESS_ROLES.CUSTOMS_BROKER,
      );
    });

    it("onboards an actor from a credential signed with the issuer's keystore", async function () {
      const importer = keys.importer.wallet.address;
      const out = await ok([
        "onboard",
        importer,
        "--roles",
        "IMPORTER",
        "--country",
        "us",
        "--legal-name",
        "Gulf Coast Pipe Supply LLC",
        "--identifiers",
        "IOR 12-3456789",
        "--days",
        "30",
        ...withKey("issuer"),
      ]);
      expect(out).to.match(new RegExp(`^onboarded ${importer} as IMPORTER \\(credential 0x[0-9a-f]{64}\\)`));
      const record = await actors.actorOf(importer);
      expect(record.issuer).to.equal(keys.issuer.wallet.address);
      expect(Number(record.roles)).to.equal(BUSINESS_ROLES.IMPORTER);
      expect(record.country).to.equal("0x5553");
      expect(record.validUntil - record.validFrom).to.equal(30n * 86_400n);
      expect(await actors.isActive(importer, BUSINESS_ROLES.IMPORTER)).to.equal(true);
    });

    it("writes a signed credential with --out, which any funded account submits", async function () {
      const broker = keys.broker.wallet.address;
      const before = await headNumber();
      const written = await ok([
        "onboard",
        broker,
        "--roles",
        "customs-broker",
        "--country",
        "US",
        "--legal-name",
        "Harbor Customs Brokerage",
        "--did",
        "did:web:harbor.example",
        "--out",
        "broker-credential.json",
        ...withKey("issuer"),
      ]);
      expect(written).to.include("submit-credential broker-credential.json");
      expect(await headNumber(), "--out sends nothing").to.equal(before);
      const signed = JSON.parse(readFileSync(path.join(dir, "broker-credential.json"), "utf8")) as {
        issuer: string;
        roleNames: string[];
      };
      expect(signed.issuer).to.equal(keys.issuer.wallet.address);
      expect(signed.roleNames).to.deep.equal(["CUSTOMS_BROKER"]);

      const out = await ok(["submit-credential", "broker-credential.json", ...withKey("outsider")]);
      expect(out).to.match(new RegExp(`^onboarded ${broker} as CUSTOMS_BROKER`));
      const [event] = await actors.queryFilter(actors.filters.ActorOnboarded(broker));
      expect(event.args.did).to.equal("did:web:harbor.example");
      expect(event.args.submittedBy).to.equal(keys.outsider.wallet.address);
      expect(event.args.issuer).to.equal(keys.issuer.wallet.address);
    });

    it("lets the importer authorise its broker, and withdraw it", async function () {
      const importer = keys.importer.wallet.address;
      const broker = keys.broker.wallet.address;
      const out = await ok(["authorize-broker", broker, ...withKey("importer")]);
      expect(out).to.match(new RegExp(`^importer ${importer} authorised broker ${broker}; tx 0x`));
      expect(await shipments.isBrokerAuthorized(importer, broker)).to.equal(true);
      await ok(["authorize-broker", broker, "--revoke", ...withKey("importer")]);
      expect(await shipments.isBrokerAuthorized(importer, broker)).to.equal(false);
    });

    it("grants and revokes CBP's role on every registry", async function () {
      const officer = keys.outsider.wallet.address;
      const cbp = await ok(["grant-role", "cbp", officer, "--dev-account", "0"]);
      expect(cbp.match(/^granted CBP_ROLE/gm)).to.have.length(4);
      expect(cbp).to.match(new RegExp(`^granted CBP_ROLE to ${officer} on ShipmentRegistry; tx 0x`, "m"));
      expect(await shipments.hasRole(id("CBP_ROLE"), officer)).to.equal(true);
      const mtr = MillTestReportRegistry__factory.connect(
        deployment.contracts.MillTestReportRegistry.address,
        provider,
      );
      expect(await mtr.hasRole(id("CBP_ROLE"), officer)).to.equal(true);
      expect(await actors.hasRole(id("CBP_ROLE"), officer)).to.equal(true);

      const again = await ok(["grant-role", "pauser", officer, "--registry", "ShipmentRegistry", "--dev-account", "0"]);
      expect(again).to.match(/^granted PAUSER_ROLE .* on ShipmentRegistry/);
      expect(
        await ok(["grant-role", "pauser", officer, "--registry", "ShipmentRegistry", "--dev-account", "0"]),
      ).to.match(/already holds PAUSER_ROLE on ShipmentRegistry/);

      await ok(["revoke-role", "CBP", officer, "--dev-account", "0"]);
      expect(await actors.hasRole(id("CBP_ROLE"), officer)).to.equal(false);
      expect(await mtr.hasRole(id("CBP_ROLE"), officer)).to.equal(false);
      expect(await shipments.hasRole(id("CBP_ROLE"), officer)).to.equal(false);
    });

    it("funds an account from the devnet's dev account", async function () {
      const target = Wallet.createRandom().address;
      const out = await ok(["fund", target, "--amount", "2.5"]);
      expect(out).to.equal(`sent 2.5 ETH to ${target} from dev account #0; balance now 2.5 ETH\n`);
      expect(await provider.getBalance(target)).to.equal(parseEther("2.5"));
    });

    it("shows an address's standing with role names, DID, issuer trust, dates and activity", async function () {
      const importer = keys.importer.wallet.address;
      const record = await actors.actorOf(importer);
      const text = await ok(["show", importer]);
      expect(text).to.include(`${importer} on chain id 31337`);
      expect(text).to.match(/actor roles +IMPORTER \(country US\)/);
      expect(text).to.match(new RegExp(`DID +did:pkh:eip155:31337:${importer}`));
      expect(text).to.match(new RegExp(`credential +${record.credentialId}: Current`));
      expect(text).to.include(
        `issuer           ${keys.issuer.wallet.address}, trusted for MILL, IMPORTER, CUSTOMS_BROKER`,
      );
      expect(text).to.include(new Date(Number(record.validUntil) * 1000).toISOString().replace(".000Z", "Z"));
      expect(text).to.match(/active +IMPORTER yes/);
      expect(text).to.match(/suspended +no/);

      const json = JSON.parse(await ok(["show", await governance.getAddress(), "--json"])) as {
        actor: unknown;
        governanceRoles: Record<string, string[]>;
      };
      expect(json.actor).to.equal(undefined);
      expect(json.governanceRoles.ShipmentRegistry).to.include("DEFAULT_ADMIN_ROLE");
      expect(json.governanceRoles.ActorRegistry).to.include("CBP_ROLE");
    });

    it("stops trusting an issuer: its actors become inactive", async function () {
      const issuer = keys.issuer.wallet.address;
      const out = await ok(["untrust-issuer", issuer, "--dev-account", "0"]);
      expect(out).to.include("was trusted for MILL|IMPORTER|CUSTOMS_BROKER");
      expect(await ok(["show", keys.importer.wallet.address])).to.match(/active +IMPORTER no/);
      await ok(["trust-issuer", issuer, "--roles", "ALL", "--dev-account", "0"]);
    });

    it("creates a keystore with new-key and never overwrites one", async function () {
      const out = await ok(["new-key", "--out", "fresh.json", "--password-file", "password"]);
      const [, address] = /^wrote a new key for (0x[0-9a-fA-F]{40}) to fresh\.json/.exec(out)!;
      const wallet = await Wallet.fromEncryptedJson(readFileSync(path.join(dir, "fresh.json"), "utf8"), PASSWORD);
      expect(wallet.address).to.equal(address);
      expect(out).to.not.include(wallet.privateKey.slice(2));
      await refused(["new-key", "--out", "fresh.json", "--password-file", "password"], "fresh.json exists");
    });
  });

  describe("bad input: one line, exit code 1, nothing sent", function () {
    it("refuses an unknown role name, naming the known ones", async function () {
      await refused(
        ["trust-issuer", keys.broker.wallet.address, "--roles", "MILL,SMELTER", "--dev-account", "0"],
        'unknown role "SMELTER": known roles are MILL, PROCESSOR, EXPORTER, IMPORTER, CUSTOMS_BROKER, CARRIER, CERTIFIER, LABORATORY',
      );
      await refused(
        ["grant-role", "UPGRADER_ROLE", keys.broker.wallet.address, "--dev-account", "0"],
        /one of CBP_ROLE, PAUSER_ROLE/,
      );
      expect(Number(await actors.trustedRolesOf(keys.broker.wallet.address))).to.equal(0);
    });

    it("refuses a mistyped address with a checksum hint", async function () {
      const address = keys.importer.wallet.address;
      const flipped = address.replace(/[a-f]/, (c) => c.toUpperCase());
      expect(flipped).to.not.equal(address);
      await refused(["show", flipped], `address ${flipped} has a wrong mixed-case checksum (EIP-55)`);
      await refused(["fund", "0x1234"], 'account "0x1234" is not an address');
    });

    it("refuses a wrong keystore password", async function () {
      writeFileSync(path.join(dir, "wrong"), "not the password\n");
      await refused(
        [
          "trust-issuer",
          keys.broker.wallet.address,
          "--roles",
          "MILL",
          "--keystore",
          keys.issuer.file,
          "--password-file",
          "wrong",
        ],
        `wrong password for keystore ${keys.issuer.file}`,
      );
    });

    it("names the missing role when the caller is not an admin", async function () {
      const outsider = keys.outsider.wallet.address;
      await refused(
        ["trust-issuer", outsider, "--roles", "MILL", ...withKey("outsider")],
        `AccessControlUnauthorizedAccount(${outsider}, CBP_ROLE): ${outsider} lacks CBP_ROLE`,
      );
      await refused(
        ["grant-role", "CBP_ROLE", keys.broker.wallet.address, "--registry", "ShipmentRegistry", ...withKey("broker")],
        /lacks DEFAULT_ADMIN_ROLE/,
      );
      expect(Number(await actors.trustedRolesOf(outsider))).to.equal(0);
      expect(await shipments.hasRole(id("CBP_ROLE"), keys.broker.wallet.address)).to.equal(false);
    });

    it("says an empty account has no gas, instead of 'could not coalesce error'", async function () {
      const empty = keys.empty.wallet.address;
      await ok(["trust-issuer", empty, "--roles", "CARRIER", "--dev-account", "0"]);
      const line = await refused(
        ["onboard", empty, "--roles", "CARRIER", "--country", "DE", "--legal-name", "Empty GmbH", ...withKey("empty")],
        `account ${empty} has no ether to pay for gas`,
      );
      expect(line).to.include("relay").and.not.include("coalesce");
    });

    it("refuses to fund or use dev accounts on a chain that is not a devnet", async function () {
      const methods: string[] = [];
      const server: Server = createServer((req, res) => {
        let body = "";
        req.on("data", (d: Buffer) => (body += d.toString()));
        req.on("end", () => {
          const call = JSON.parse(body) as { id: number; method: string };
          methods.push(call.method);
          const result = call.method === "eth_chainId" ? "0x1" : call.method === "eth_getCode" ? "0x6080" : undefined;
          res.setHeader("content-type", "application/json");
          res.end(
            JSON.stringify(
              result
                ? { jsonrpc: "2.0", id: call.id, result }
                : { jsonrpc: "2.0", id: call.id, error: { code: -32601, message: "no" } },
            ),
          );
        });
      });
      const port = await freePort();
      await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
      const mainnetFile = path.join(dir, "mainnet.json");
      writeFileSync(mainnetFile, JSON.stringify({ ...deployment, network: "mainnet", chainId: 1 }));
      try {
        const io = (): Parameters<typeof main>[1] & { err: string[] } => {
          const err: string[] = [];
          return { stdout: () => undefined, stderr: (t) => err.push(t), env: {}, cwd: dir, err };
        };
        const target = Wallet.createRandom().address;
        const fundIo = io();
        const code = await main(
          ["fund", target, "--rpc", `http://127.0.0.1:${port}`, "--deployments", mainnetFile],
          fundIo,
        );
        expect(code).to.equal(1);
        expect(fundIo.err.join("")).to.equal(
          `error: fund works only on a devnet (chain id 31337); the node at http://127.0.0.1:${port} serves chain id 1: use a funded account's --keystore instead\n`,
        );
        const devIo = io();
        const args = ["trust-issuer", target, "--roles", "MILL", "--dev-account", "0"];
        expect(
          await main([...args, "--rpc", `http://127.0.0.1:${port}`, "--deployments", mainnetFile], devIo),
        ).to.equal(1);
        expect(devIo.err.join("")).to.match(/^error: --dev-account works only on a devnet/);
        expect(methods).to.not.include("eth_sendTransaction").and.not.include("eth_accounts");
        expect(methods).to.include("eth_chainId");
      } finally {
        server.close();
      }
    });

    it("refuses an unknown command, a missing argument and a deployments file of another chain", async function () {
      await refused(["promote", "x"], /unknown command "promote": one of trust-issuer/);
      await refused(
        ["trust-issuer", "--roles", "MILL", "--dev-account", "0"],
        "usage: npm run admin -- trust-issuer ISSUER",
      );
      const other = path.join(dir, "other.json");
      writeFileSync(other, JSON.stringify({ ...deployment, chainId: 5 }));
      await refused(
        ["show", keys.issuer.wallet.address, "--deployments", other],
        /serves chain id 31337, .*other\.json is for chain id 5/,
      );
    });
  });

  describe("the real command line (scripts/run.cjs, as npm run admin runs it)", function () {
    /** `node scripts/run.cjs scripts/admin/cli.ts ...`, the command of package.json's "admin" script. */
    async function cli(argv: string[]): Promise<Run> {
      const env: NodeJS.ProcessEnv = { ...process.env, LOCALHOST_RPC_URL: node.url, INIT_CWD: dir };
      const run = await runNode([path.join(ROOT, "scripts", "run.cjs"), "scripts/admin/cli.ts", ...argv], env);
      return { ...run, code: run.code ?? -1 };
    }

    it("shows a standing, with the node from LOCALHOST_RPC_URL and a deployments path relative to INIT_CWD", async function () {
      const run = await cli(["show", keys.importer.wallet.address, "--deployments", "localhost.json"]);
      expect(run.stderr).to.equal("");
      expect(run.code).to.equal(0);
      expect(run.stdout).to.match(/actor roles +IMPORTER/);
    });

    it("fails with one line and exit code 1", async function () {
      const run = await cli([
        "trust-issuer",
        keys.importer.wallet.address,
        "--roles",
        "WIZARD",
        "--deployments",
        "localhost.json",
      ]);
      expect(run.code).to.equal(1);
      expect(run.stdout).to.equal("");
      expect(run.stderr).to.match(/^error: unknown role "WIZARD": known roles are MILL[^\n]*\n$/);
      expect(existsSync(path.join(dir, "localhost.json"))).to.equal(true);
    });
  });
});
