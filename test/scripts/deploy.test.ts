import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import hre, { ethers, upgrades } from "hardhat";
import {
  REGISTRIES,
  deployAll,
  readDeployment,
  type DeployOptions,
  type DeploymentFile,
  type RegistryEntry,
} from "../../scripts/lib/deployments";

const CBP_ROLE = ethers.id("CBP_ROLE");
const ALLOCATOR_ROLE = ethers.id("ALLOCATOR_ROLE");
/** The mechanics of deployAll are tested on the first entry alone; the full list has its own tests below. */
const ACTOR_ONLY = REGISTRIES.filter((entry) => entry.name === "ActorRegistry");

describe("scripts/deploy: deployAll", function () {
  let dir: string;
  let messages: string[];

  function options(extra: DeployOptions = {}): DeployOptions {
    return { deploymentsDir: dir, log: (message) => messages.push(message), registries: ACTOR_ONLY, ...extra };
  }

  function writeFile(content: DeploymentFile): void {
    fs.writeFileSync(path.join(dir, "hardhat.json"), JSON.stringify(content));
  }

  beforeEach(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradetrace-deployments-"));
    messages = [];
  });

  afterEach(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("deploys the ActorRegistry behind a UUPS proxy and records it", async function () {
    const [deployer] = await ethers.getSigners();
    const { file, deployment, status } = await deployAll(hre, options());

    expect(file).to.equal(path.join(dir, "hardhat.json"));
    expect(status).to.deep.equal({ ActorRegistry: "deployed" });
    const onDisk = readDeployment(dir, "hardhat");
    expect(onDisk).to.deep.equal(deployment);
    const { address, implementation, blockNumber } = deployment.contracts.ActorRegistry;
    expect(deployment).to.deep.include({ network: "hardhat", chainId: 31337, deployer: deployer.address });
    expect(deployment.startBlock).to.equal(blockNumber);
    expect(implementation).to.equal(await upgrades.erc1967.getImplementationAddress(address));
    // The recorded block holds the proxy's deployment: no code before it, code at it.
    expect(await ethers.provider.getCode(address, blockNumber - 1)).to.equal("0x");
    expect(await ethers.provider.getCode(address, blockNumber)).not.to.equal("0x");

    const registry = await ethers.getContractAt("ActorRegistry", address);
    expect(await registry.hasRole(CBP_ROLE, deployer.address)).to.equal(true);
    const [, name, version] = await registry.eip712Domain();
    expect([name, version]).to.deep.equal(["TradeTrace ActorRegistry", "1"]);
  });

  it("keeps a live deployment on a second run, without sending a transaction", async function () {
    const first = await deployAll(hre, options());
    const blockBefore = await ethers.provider.getBlockNumber();
    messages = [];

    const second = await deployAll(hre, options());

    expect(second.status).to.deep.equal({ ActorRegistry: "kept" });
    expect(second.deployment).to.deep.equal(first.deployment);
    expect(await ethers.provider.getBlockNumber()).to.equal(blockBefore);
    expect(messages.join("\n")).to.match(/ActorRegistry already deployed at 0x[0-9a-fA-F]{40}/);
  });

  it("records the new implementation of a proxy upgraded since", async function () {
    const first = await deployAll(hre, options());
    const { address } = first.deployment.contracts.ActorRegistry;
    await upgrades.upgradeProxy(address, await ethers.getContractFactory("ActorRegistryV2"), { kind: "uups" });

    const second = await deployAll(hre, options());

    expect(second.status.ActorRegistry).to.equal("kept");
    expect(second.deployment.contracts.ActorRegistry.address).to.equal(address);
    expect(second.deployment.contracts.ActorRegistry.implementation).to.equal(
      await upgrades.erc1967.getImplementationAddress(address),
    );
    expect(second.deployment.contracts.ActorRegistry.implementation).not.to.equal(
      first.deployment.contracts.ActorRegistry.implementation,
    );
  });

  it("redeploys on purpose with force or TRADETRACE_REDEPLOY=1", async function () {
    const first = await deployAll(hre, options());
    const forced = await deployAll(hre, options({ force: true }));
    expect(forced.status.ActorRegistry).to.equal("deployed");
    expect(forced.deployment.contracts.ActorRegistry.address).not.to.equal(
      first.deployment.contracts.ActorRegistry.address,
    );
    expect(messages.join("\n")).to.include("redeploy forced");

    const saved = process.env.TRADETRACE_REDEPLOY;
    process.env.TRADETRACE_REDEPLOY = "1";
    try {
      const byEnv = await deployAll(hre, options());
      expect(byEnv.status.ActorRegistry).to.equal("deployed");
      expect(byEnv.deployment.contracts.ActorRegistry.address).not.to.equal(
        forced.deployment.contracts.ActorRegistry.address,
      );
    } finally {
      if (saved === undefined) delete process.env.TRADETRACE_REDEPLOY;
      else process.env.TRADETRACE_REDEPLOY = saved;
    }
  });

  it("deploys anew when the file is for another chain id, keeping the old file aside", async function () {
    const live = await deployAll(hre, options());
    const { address } = live.deployment.contracts.ActorRegistry;
    const foreign: DeploymentFile = {
      ...live.deployment,
      chainId: 1,
      contracts: { ActorRegistry: { ...live.deployment.contracts.ActorRegistry } },
    };
    writeFile(foreign);
    messages = [];

    const result = await deployAll(hre, options());

    expect(result.status.ActorRegistry).to.equal("deployed");
    expect(result.deployment.chainId).to.equal(31337);
    expect(result.deployment.contracts.ActorRegistry.address).not.to.equal(address);
    expect(messages.join("\n")).to.include("is for chain id 1, but hardhat is chain id 31337");
    const keptAside = JSON.parse(fs.readFileSync(path.join(dir, "hardhat.chain-1.json"), "utf8")) as DeploymentFile;
    expect(keptAside).to.deep.equal(foreign);
  });

  it("deploys anew when the recorded address has no code (restarted devnet)", async function () {
    const gone = ethers.Wallet.createRandom().address;
    writeFile({
      network: "hardhat",
      chainId: 31337,
      deployer: gone,
      contracts: { ActorRegistry: { address: gone, implementation: gone, blockNumber: 1 } },
      startBlock: 1,
    });

    const result = await deployAll(hre, options());

    expect(result.status.ActorRegistry).to.equal("deployed");
    expect(result.deployment.contracts.ActorRegistry.address).not.to.equal(gone);
    expect(await ethers.provider.getCode(result.deployment.contracts.ActorRegistry.address)).not.to.equal("0x");
    expect(messages.join("\n")).to.include(`no code at ${gone} on chain id 31337`);
  });

  it("deploys anew when the recorded block is not on this chain (devnet reset, same address redeployed)", async function () {
    const live = await deployAll(hre, options());
    const record = live.deployment.contracts.ActorRegistry;
    expect(record.blockHash).to.equal((await ethers.provider.getBlock(record.blockNumber))!.hash);
    writeFile({ ...live.deployment, contracts: { ActorRegistry: { ...record, blockHash: ethers.ZeroHash } } });

    const result = await deployAll(hre, options());

    expect(result.status.ActorRegistry).to.equal("deployed");
    expect(messages.join("\n")).to.include(`block ${record.blockNumber} on chain id 31337 is not the recorded one`);
  });

  it("deploys only new entries, and redeploys an entry when its dependency is deployed anew", async function () {
    const dependent: RegistryEntry = {
      name: "DependentRegistry",
      contract: "ActorRegistry",
      dependsOn: ["ActorRegistry"],
      initializerArgs: ({ addresses }) => [addresses.ActorRegistry],
    };
    const first = await deployAll(hre, options());

    const second = await deployAll(hre, options({ registries: [...ACTOR_ONLY, dependent] }));
    expect(second.status).to.deep.equal({ ActorRegistry: "kept", DependentRegistry: "deployed" });
    const actorRegistry = first.deployment.contracts.ActorRegistry.address;
    // The initializer received the address of the entry it depends on.
    const dependentRegistry = await ethers.getContractAt(
      "ActorRegistry",
      second.deployment.contracts.DependentRegistry.address,
    );
    expect(await dependentRegistry.hasRole(ethers.ZeroHash, actorRegistry)).to.equal(true);
    expect(second.deployment.startBlock).to.equal(first.deployment.contracts.ActorRegistry.blockNumber);

    const third = await deployAll(hre, options({ registries: [...ACTOR_ONLY, dependent] }));
    expect(third.status).to.deep.equal({ ActorRegistry: "kept", DependentRegistry: "kept" });

    // Lose the ActorRegistry (as after a devnet restart): both are deployed anew.
    writeFile({
      ...third.deployment,
      contracts: {
        ...third.deployment.contracts,
        ActorRegistry: { ...third.deployment.contracts.ActorRegistry, address: ethers.Wallet.createRandom().address },
      },
    });
    const fourth = await deployAll(hre, options({ registries: [...ACTOR_ONLY, dependent] }));
    expect(fourth.status).to.deep.equal({ ActorRegistry: "deployed", DependentRegistry: "deployed" });
    expect(messages.join("\n")).to.include("DependentRegistry: ActorRegistry was deployed anew");
  });

  it("gives the governance roles to the admin option instead of the deployer", async function () {
    const [deployer, cbp] = await ethers.getSigners();
    const { deployment } = await deployAll(hre, options({ admin: cbp.address }));
    const registry = await ethers.getContractAt("ActorRegistry", deployment.contracts.ActorRegistry.address);
    expect(await registry.hasRole(CBP_ROLE, cbp.address)).to.equal(true);
    expect(await registry.hasRole(CBP_ROLE, deployer.address)).to.equal(false);
    expect(deployment.deployer).to.equal(deployer.address);
  });

  it("rejects a registry list whose dependencies are not listed before them", async function () {
    const orphan: RegistryEntry = { name: "Orphan", dependsOn: ["Nowhere"], initializerArgs: () => [] };
    await expect(deployAll(hre, options({ registries: [orphan] }))).to.be.rejectedWith(
      "registry Orphan depends on Nowhere, not listed before it",
    );
    const twice = [...ACTOR_ONLY, ...ACTOR_ONLY];
    await expect(deployAll(hre, options({ registries: twice }))).to.be.rejectedWith(
      "registry ActorRegistry is listed twice",
    );
    expect(fs.readdirSync(dir)).to.deep.equal([]);
  });

  it("refuses to overwrite a file that is not a deployment file", async function () {
    fs.writeFileSync(path.join(dir, "hardhat.json"), JSON.stringify({ hello: "world" }));
    await expect(deployAll(hre, options())).to.be.rejectedWith("is not a deployment file");
  });

  describe("the full registry list", function () {
    it("deploys every registry wired to its dependencies, and lets the shipments allocate kilograms", async function () {
      const { deployment, status } = await deployAll(hre, options({ registries: REGISTRIES }));
      expect(status).to.deep.equal({
        ActorRegistry: "deployed",
        CertificateOfOriginRegistry: "deployed",
        MillTestReportRegistry: "deployed",
        ShipmentRegistry: "deployed",
      });
      const { ActorRegistry, CertificateOfOriginRegistry, MillTestReportRegistry, ShipmentRegistry } =
        deployment.contracts;
      const shipments = await ethers.getContractAt("ShipmentRegistry", ShipmentRegistry.address);
      expect(await shipments.actorRegistry()).to.equal(ActorRegistry.address);
      expect(await shipments.certificateOfOriginRegistry()).to.equal(CertificateOfOriginRegistry.address);
      expect(await shipments.millTestReportRegistry()).to.equal(MillTestReportRegistry.address);
      const mtr = await ethers.getContractAt("MillTestReportRegistry", MillTestReportRegistry.address);
      expect(await mtr.actorRegistry()).to.equal(ActorRegistry.address);
      expect(await mtr.hasRole(ALLOCATOR_ROLE, ShipmentRegistry.address)).to.equal(true);
      expect(deployment.startBlock).to.equal(ActorRegistry.blockNumber);
      expect(messages.join("\n")).to.include("granted ALLOCATOR_ROLE on MillTestReportRegistry to ShipmentRegistry");
    });

    it("keeps everything on a second run without sending a transaction", async function () {
      await deployAll(hre, options({ registries: REGISTRIES }));
      const blockBefore = await ethers.provider.getBlockNumber();
      const { status } = await deployAll(hre, options({ registries: REGISTRIES }));
      expect(Object.values(status)).to.deep.equal(["kept", "kept", "kept", "kept"]);
      expect(await ethers.provider.getBlockNumber()).to.equal(blockBefore);
    });

    it("tells governance to grant ALLOCATOR_ROLE when the deployer is not the admin", async function () {
      const [, governance] = await ethers.getSigners();
      const { deployment } = await deployAll(hre, options({ registries: REGISTRIES, admin: governance.address }));
      const mtr = await ethers.getContractAt(
        "MillTestReportRegistry",
        deployment.contracts.MillTestReportRegistry.address,
      );
      expect(await mtr.hasRole(ALLOCATOR_ROLE, deployment.contracts.ShipmentRegistry.address)).to.equal(false);
      expect(messages.join("\n")).to.include(
        `governance must grant ALLOCATOR_ROLE on MillTestReportRegistry to ShipmentRegistry ${deployment.contracts.ShipmentRegistry.address}`,
      );
    });
  });
});
