// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IActorRegistry} from "../interfaces/IActorRegistry.sol";

/// @title MockActorRegistry
/// @notice Test harness: tests set each actor's active role bits directly. Only `isActive` and `actorOf` answer;
/// every other function reverts.
contract MockActorRegistry is IActorRegistry {
    error NotImplemented();

    mapping(address actor => uint32 roles) private _roles;

    /// @notice Makes `actor` active for exactly `roles` (0 makes it inactive).
    function setActive(address actor, uint32 roles) external {
        _roles[actor] = roles;
    }

    function isActive(address actor, uint32 role) external view returns (bool) {
        return role != 0 && _roles[actor] & role == role;
    }

    function actorOf(address actor) external view returns (Actor memory a) {
        a.roles = _roles[actor];
    }

    function setTrustedIssuer(address, uint32) external pure {
        revert NotImplemented();
    }

    function removeTrustedIssuer(address) external pure {
        revert NotImplemented();
    }

    function onboard(ActorCredential calldata, address, bytes calldata) external pure {
        revert NotImplemented();
    }

    function revokeCredential(bytes32, bytes32) external pure {
        revert NotImplemented();
    }

    function suspend(address, bytes32) external pure {
        revert NotImplemented();
    }

    function reinstate(address, bytes32) external pure {
        revert NotImplemented();
    }

    function trustedRolesOf(address) external pure returns (uint32) {
        revert NotImplemented();
    }

    function credentialStatus(bytes32) external pure returns (CredentialStatus) {
        revert NotImplemented();
    }

    function credentialDigest(ActorCredential calldata) external pure returns (bytes32) {
        revert NotImplemented();
    }
}
