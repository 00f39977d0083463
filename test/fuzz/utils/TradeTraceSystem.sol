// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {ActorRegistry} from "../../../contracts/identity/ActorRegistry.sol";
import {CertificateOfOriginRegistry} from "../../../contracts/documents/CertificateOfOriginRegistry.sol";
import {MillTestReportRegistry} from "../../../contracts/documents/MillTestReportRegistry.sol";
import {ShipmentRegistry} from "../../../contracts/shipments/ShipmentRegistry.sol";
import {IActorRegistry} from "../../../contracts/interfaces/IActorRegistry.sol";
import {IDocumentRegistry} from "../../../contracts/interfaces/IDocumentRegistry.sol";
import {IMillTestReportRegistry} from "../../../contracts/interfaces/IMillTestReportRegistry.sol";
import {BusinessRoles} from "../../../contracts/libraries/BusinessRoles.sol";
import {FuzzBase} from "./FuzzBase.sol";

/// @title TradeTraceSystem
/// @notice Deploys the real registries behind ERC1967 (UUPS) proxies with their initializers, wires them as the
/// deploy script does, and onboards a cast of actors with credentials signed by a trusted issuer.
abstract contract TradeTraceSystem is FuzzBase {
    uint256 internal constant ISSUER_KEY = 0x155E;
    uint256 internal constant ROGUE_KEY = 0xBAD;
    uint256 internal constant START_TIME = 1_700_000_000;
    uint64 internal constant CREDENTIAL_DAYS = 400;

    ActorRegistry internal actors;
    MillTestReportRegistry internal mtr;
    CertificateOfOriginRegistry internal coo;
    ShipmentRegistry internal shipments;

    address internal gov;
    address internal cbp;
    address internal issuer;

    /// @dev Actor keys, their addresses and the roles they are onboarded with (0: never onboarded).
    uint256[] internal keys;
    address[] internal people;
    mapping(address actor => uint32 roles) internal rolesOf;
    mapping(address actor => uint256 key) internal keyOf;
    uint256 private _credentialCount;

    function _deploySystem() internal {
        gov = vm.addr(0x6011);
        cbp = vm.addr(0xCB9);
        issuer = vm.addr(ISSUER_KEY);
        vm.warp(START_TIME);

        actors = ActorRegistry(
            address(new ERC1967Proxy(address(new ActorRegistry()), abi.encodeCall(ActorRegistry.initialize, (gov))))
        );
        IActorRegistry actorsApi = IActorRegistry(address(actors));
        mtr = MillTestReportRegistry(
            address(
                new ERC1967Proxy(
                    address(new MillTestReportRegistry()),
                    abi.encodeCall(MillTestReportRegistry.initialize, (gov, actorsApi))
                )
            )
        );
        coo = CertificateOfOriginRegistry(
            address(
                new ERC1967Proxy(
                    address(new CertificateOfOriginRegistry()),
                    abi.encodeCall(CertificateOfOriginRegistry.initialize, (gov, actorsApi))
                )
            )
        );
        shipments = ShipmentRegistry(
            address(
                new ERC1967Proxy(
                    address(new ShipmentRegistry()),
                    abi.encodeCall(
                        ShipmentRegistry.initialize,
                        (gov, actorsApi, IDocumentRegistry(address(coo)), IDocumentRegistry(address(mtr)))
                    )
                )
            )
        );
        bytes32 allocator = mtr.ALLOCATOR_ROLE();
        bytes32 cbpRole = shipments.CBP_ROLE();
        vm.startPrank(gov);
        mtr.grantRole(allocator, address(shipments));
        shipments.grantRole(cbpRole, cbp);
        actors.setTrustedIssuer(issuer, BusinessRoles.ALL);
        vm.stopPrank();

        _addPerson(0xA1, BusinessRoles.MILL);
        _addPerson(0xA2, BusinessRoles.MILL);
        _addPerson(0xA3, BusinessRoles.PROCESSOR);
        _addPerson(0xA4, BusinessRoles.PROCESSOR | BusinessRoles.MILL);
        _addPerson(0xA5, BusinessRoles.IMPORTER);
        _addPerson(0xA6, BusinessRoles.IMPORTER);
        _addPerson(0xA7, BusinessRoles.CUSTOMS_BROKER);
        _addPerson(0xA8, BusinessRoles.CARRIER);
        _addPerson(0xA9, BusinessRoles.EXPORTER);
        _addPerson(0xAA, 0); // an outsider, never onboarded
        for (uint256 i; i < people.length; ++i) {
            if (rolesOf[people[i]] != 0) {
                (IActorRegistry.ActorCredential memory c, bytes memory sig) = _credential(people[i], ISSUER_KEY, 0);
                actors.onboard(c, issuer, sig);
            }
        }
        // Importer 0 authorises the broker to file for it.
        vm.prank(people[4]);
        shipments.setBrokerAuthorization(people[6], true);
    }

    function _addPerson(uint256 key, uint32 roles) private {
        address a = vm.addr(key);
        keys.push(key);
        people.push(a);
        rolesOf[a] = roles;
        keyOf[a] = key;
    }

    /// @dev A fresh credential for `subject` with its cast roles, valid from now for `CREDENTIAL_DAYS` (or
    /// `validDays` if non-zero), signed with `signerKey`.
    function _credential(
        address subject,
        uint256 signerKey,
        uint64 validDays
    ) internal returns (IActorRegistry.ActorCredential memory c, bytes memory sig) {
        c = IActorRegistry.ActorCredential({
            subject: subject,
            did: "did:web:actor.example",
            roles: rolesOf[subject] == 0 ? BusinessRoles.EXPORTER : rolesOf[subject],
            country: "US",
            legalNameHash: keccak256("name"),
            identifiersHash: keccak256("ids"),
            validFrom: uint64(block.timestamp),
            validUntil: uint64(block.timestamp) + (validDays == 0 ? CREDENTIAL_DAYS : validDays) * 1 days,
            credentialId: keccak256(abi.encode("credential", ++_credentialCount))
        });
        sig = _sign(signerKey, actors.credentialDigest(c));
    }

    function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    /// @dev A valid mill test report (hardness not reported, chemistry measured as zero).
    function _report(
        bytes32 id,
        uint96 kg,
        bytes2 melt,
        uint64 expiresAt
    ) internal pure returns (IMillTestReportRegistry.MillTestReport memory r) {
        r.contentHash = id;
        r.certificateNumber = string(abi.encodePacked("MTR-", id));
        r.heatNumber = "H-1";
        r.productStandard = "API 5L";
        r.grade = "X52";
        r.countryOfMeltAndPour = melt;
        r.countryOfManufacture = "US";
        r.mechanics = uint256(0xFFFFFFFF) << 160;
        r.totalKg = kg;
        r.expiresAt = expiresAt;
        r.uri = "ipfs://report";
    }

    /// @dev The EIP-712 digest of `issueBySig`, built independently of the contract from the documented type.
    function _issueDigest(
        IMillTestReportRegistry.MillTestReport memory r,
        uint256 nonce,
        uint256 deadline
    ) internal view returns (bytes32) {
        string memory reportType =
            "MillTestReport(bytes32 contentHash,string certificateNumber,string heatNumber,"
            "string productStandard,string grade,bytes2 countryOfMeltAndPour,bytes2 countryOfManufacture,"
            "uint256[2] chemistry,uint256 mechanics,uint96 totalKg,uint64 expiresAt,string uri)";
        bytes32 reportHash = keccak256(
            bytes.concat(
                abi.encode(
                    keccak256(bytes(reportType)),
                    r.contentHash,
                    keccak256(bytes(r.certificateNumber)),
                    keccak256(bytes(r.heatNumber)),
                    keccak256(bytes(r.productStandard)),
                    keccak256(bytes(r.grade)),
                    r.countryOfMeltAndPour
                ),
                abi.encode(
                    r.countryOfManufacture,
                    keccak256(abi.encodePacked(r.chemistry)),
                    r.mechanics,
                    r.totalKg,
                    r.expiresAt,
                    keccak256(bytes(r.uri))
                )
            )
        );
        bytes32 typeHash = keccak256(
            abi.encodePacked("IssueMillTestReport(MillTestReport report,uint256 nonce,uint256 deadline)", reportType)
        );
        bytes32 structHash = keccak256(abi.encode(typeHash, reportHash, nonce, deadline));
        return keccak256(abi.encodePacked(hex"1901", mtr.domainSeparator(), structHash));
    }
}
