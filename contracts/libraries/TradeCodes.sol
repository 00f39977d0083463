// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title TradeCodes
/// @notice Validation of the trade codes that registries accept: ISO 3166-1 alpha-2 countries (`bytes2`),
/// UN/LOCODE ports (`bytes5`) and 10-digit HTSUS numbers (`uint64`, e.g. 7304.19.1020 as 7304191020).
/// @dev Only the shape is checked on chain (upper-case letters, digits); membership in the official lists is
/// checked off chain by the tools that prepare submissions.
library TradeCodes {
    /// @dev The largest 10-digit HTS number; chapter 01 numbers have a leading zero and so nine digits.
    uint64 internal constant MAX_HTS = 9_999_999_999;
    uint64 internal constant MIN_HTS = 100_000_000;

    /// @notice Whether `country` is two upper-case ASCII letters.
    function isCountry(bytes2 country) internal pure returns (bool) {
        return _isUpper(country[0]) && _isUpper(country[1]);
    }

    /// @notice Whether `locode` is a country code followed by three upper-case letters or digits 2-9.
    function isLocode(bytes5 locode) internal pure returns (bool) {
        if (!_isUpper(locode[0]) || !_isUpper(locode[1])) return false;
        for (uint256 i = 2; i < 5; ++i) {
            bytes1 c = locode[i];
            if (!_isUpper(c) && (c < "2" || c > "9")) return false;
        }
        return true;
    }

    /// @notice Whether `hts` is a 10-digit HTSUS number (leading zero allowed).
    function isHts(uint64 hts) internal pure returns (bool) {
        return hts >= MIN_HTS && hts <= MAX_HTS;
    }

    /// @notice The HTS chapter (first two digits) of a 10-digit HTSUS number.
    function chapterOf(uint64 hts) internal pure returns (uint64) {
        return hts / 100_000_000;
    }

    function _isUpper(bytes1 c) private pure returns (bool) {
        return c >= "A" && c <= "Z";
    }
}
