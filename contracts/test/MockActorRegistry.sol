// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IActorRegistry} from "../interfaces/IActorRegistry.sol";

/// @title MockActorRegistry
/// @notice Test harness: tests set each actor's active role bits directly. Only `isActive` and `actorOf` work;
/// everything else reverts. Never deployed outside tests.
contract MockActorRegistry is IActorRegistry {
    error NotImplemented();

    mapping(address actor => uint32 roles) private _roles;

    /// @notice Makes `actor` active for exactly the role bits `roles` (0 deactivates it).
    function setActive(address actor, uint32 roles) external {
        _roles[actor] = roles;
    }

    /// @inheritdoc IActorRegistry
    function isActive(address actor, uint32 role) external view returns (bool) {
        return role != 0 && _roles[actor] & role == role;
    }

    /// @inheritdoc IActorRegistry
    function actorOf(address actor) external view returns (Actor memory a) {
        a.roles = _roles[actor];
    }

    /// @inheritdoc IActorRegistry
    function setTrustedIssuer(address, uint32) external pure {
        revert NotImplemented();
    }

    /// @inheritdoc IActorRegistry
    function removeTrustedIssuer(address) external pure {
        revert NotImplemented();
    }

    /// @inheritdoc IActorRegistry
    function onboard(ActorCredential calldata, address, bytes calldata) external pure {
        revert NotImplemented();
    }

    /// @inheritdoc IActorRegistry
    function revokeCredential(bytes32, bytes32) external pure {
        revert NotImplemented();
    }

    /// @inheritdoc IActorRegistry
    function suspend(address, bytes32) external pure {
        revert NotImplemented();
    }

    /// @inheritdoc IActorRegistry
    function reinstate(address, bytes32) external pure {
        revert NotImplemented();
    }

    /// @inheritdoc IActorRegistry
    function clearCredential(address, bytes32) external pure {
        revert NotImplemented();
    }

    /// @inheritdoc IActorRegistry
    function trustedRolesOf(address) external pure returns (uint32) {
        revert NotImplemented();
    }

    /// @inheritdoc IActorRegistry
    function credentialStatus(bytes32) external pure returns (CredentialStatus) {
        revert NotImplemented();
    }

    /// @inheritdoc IActorRegistry
    function credentialDigest(ActorCredential calldata) external pure returns (bytes32) {
        revert NotImplemented();
    }

    /// @inheritdoc IActorRegistry
    function registerAssertionKey(string calldata, bytes32, bytes32) external pure {
        revert NotImplemented();
    }

    /// @inheritdoc IActorRegistry
    function registerAssertionKeyBySig(
        string calldata,
        bytes32,
        bytes32,
        address,
        uint256,
        bytes calldata
    ) external pure {
        revert NotImplemented();
    }

    /// @inheritdoc IActorRegistry
    function retireAssertionKey(bytes32) external pure {
        revert NotImplemented();
    }

    /// @inheritdoc IActorRegistry
    function retireAssertionKeyBySig(bytes32, address, uint256, bytes calldata) external pure {
        revert NotImplemented();
    }

    /// @inheritdoc IActorRegistry
    function assertionKeyOf(bytes32) external pure returns (AssertionKey memory) {
        revert NotImplemented();
    }

    /// @inheritdoc IActorRegistry
    function didHashOf(address) external pure returns (bytes32) {
        revert NotImplemented();
    }

    /// @inheritdoc IActorRegistry
    function verifyJws(
        bytes32,
        bytes calldata,
        bytes calldata,
        bytes32,
        bytes32
    ) external pure returns (address, bytes32) {
        revert NotImplemented();
    }
}
