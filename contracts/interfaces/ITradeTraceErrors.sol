// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title ITradeTraceErrors
/// @notice The errors that more than one registry raises, declared once: each has one selector, one meaning and one
/// set of parameter names wherever it comes from. The registry interfaces inherit it.
interface ITradeTraceErrors {
    /// @notice A country is not two upper-case letters (ISO 3166-1 alpha-2).
    /// @param country The code given.
    error InvalidCountry(bytes2 country);

    /// @notice HTS line `lineIndex` (of a shipment filing or a certificate of origin) is not a 10-digit HTSUS number.
    /// @param lineIndex The line's position in its list.
    /// @param hts The number given.
    error InvalidHts(uint256 lineIndex, uint64 hts);

    /// @notice `actor` is not an active actor in the actor registry for `roles` (see `BusinessRoles`). For a set of
    /// several roles (e.g. a manufacturer, `MILL | PROCESSOR`, or a self-certifying exporter, `CERTIFIER | EXPORTER`)
    /// it is active in none of them.
    /// @param actor The issuer, filer or party that had to be active.
    /// @param roles The role, or the set of roles, it had to be active for.
    error ActorNotActive(address actor, uint32 roles);
}
