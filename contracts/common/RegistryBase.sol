// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";
import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {NoncesUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/NoncesUpgradeable.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

/// @title RegistryBase
/// @notice What every TradeTrace registry shares: a UUPS proxy whose upgrades are gated by a role, AccessControl
/// governance held by CBP (`CBP_ROLE` for its day-to-day authority), an emergency pause, and EIP-712 signature
/// checking with nonces and deadlines.
/// @dev Signatures are checked with `SignatureChecker`, so ERC-1271 contract wallets can sign. The EIP-712 domain
/// binds the chain id and the proxy address, so a signature can't be replayed on another chain or registry.
abstract contract RegistryBase is
    Initializable,
    AccessControlUpgradeable,
    PausableUpgradeable,
    UUPSUpgradeable,
    EIP712Upgradeable,
    NoncesUpgradeable
{
    /// @notice May upgrade the implementation behind the proxy.
    bytes32 public constant UPGRADER_ROLE = keccak256("UPGRADER_ROLE");
    /// @notice May pause and unpause every state change.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice CBP's authority, one role on every registry. Actor registry: trusts credential issuers, suspends and
    /// reinstates actors, revokes any credential, clears a bad credential from an actor's record. Document
    /// registries: revokes any record. Shipment registry: arrival, release, refusal, holds, examinations, requests
    /// for information, the watch list.
    bytes32 public constant CBP_ROLE = keccak256("CBP_ROLE");

    /// @notice A delegated signature was submitted after its deadline.
    error SignatureExpired(uint256 deadline, uint256 blockTimestamp);
    /// @notice A delegated signature does not come from `signer` (wrong key, wrong domain or wrong payload).
    error InvalidSignature(address signer);
    /// @notice A required address was zero.
    error ZeroAddress();

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    // solhint-disable-next-line func-name-mixedcase
    function __RegistryBase_init(address admin, string memory name, string memory version) internal onlyInitializing {
        if (admin == address(0)) revert ZeroAddress();
        __AccessControl_init();
        __Pausable_init();
        __EIP712_init(name, version);
        __Nonces_init();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(UPGRADER_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
    }

    /// @notice Stops every state change until `unpause`.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Resumes state changes after `pause`.
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    /// @notice The EIP-712 domain separator of this registry (chain id and proxy address bound in).
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @dev Reverts unless `signature` by `signer` covers `structHash` and `deadline` has not passed.
    /// The caller builds `structHash` with `_useNonce(signer)` so that each signature is usable exactly once.
    function _requireValidSignature(
        address signer,
        bytes32 structHash,
        uint256 deadline,
        bytes calldata signature
    ) internal view {
        if (block.timestamp > deadline) revert SignatureExpired(deadline, block.timestamp);
        if (!SignatureChecker.isValidSignatureNow(signer, _hashTypedDataV4(structHash), signature)) {
            revert InvalidSignature(signer);
        }
    }

    function _authorizeUpgrade(address) internal override onlyRole(UPGRADER_ROLE) {}
}
