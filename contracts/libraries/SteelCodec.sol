// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title SteelCodec
/// @notice Compact encoding of a mill test report's chemistry and mechanical properties, so that they travel in
/// calldata and events as three words instead of some twenty-five (events cost 8 gas a byte).
/// @dev Chemistry: two words (`uint256[2]`), parts per million of mass (wt% x 10^4), each element a `uint24`.
/// Element `i` lives in word `i / 10` at bits `[24 * (i % 10), 24 * (i % 10) + 24)` (lowest bits first):
///
///     word 0: 0 C, 1 Mn, 2 P, 3 S, 4 Si, 5 Al, 6 Cu, 7 Ni, 8 Cr, 9 Mo           (bits 240..255 zero)
///     word 1: 10 Sn, 11 Nb (Cb), 12 V, 13 Ti, 14 B, 15 N, 16 Ca, 17 Pb, 18 CE   (bits 216..255 zero)
///
/// CE is the carbon equivalent, in the same ppm scale. A value is at most 1,000,000 ppm (100 %), or
/// `NOT_REPORTED_PPM` (0xFFFFFF) when the report does not give it; 0 means measured as zero.
///
/// Mechanics: one word, each field a `uint32`, lowest bits first:
///
///     bits   0..31  yield strength          0.01 MPa
///     bits  32..63  tensile strength        0.01 MPa
///     bits  64..95  elongation              0.01 %   (at most 10000)
///     bits  96..127 reduction of area       0.01 %   (at most 10000)
///     bits 128..159 Charpy impact energy    0.01 J
///     bits 160..191 hardness                0.01 of the scale's unit
///     bits 192..199 hardness scale          0 none, 1 HRB, 2 HRC, 3 HBW, 4 HV
///     bits 200..255 zero
///
/// A `uint32` field equal to `NOT_REPORTED_U32` (0xFFFFFFFF) is not reported. The hardness is reported exactly
/// when the scale is not 0.
library SteelCodec {
    /// @notice Number of chemistry elements.
    uint256 internal constant ELEMENTS = 19;
    /// @notice Chemistry value meaning "not reported".
    uint256 internal constant NOT_REPORTED_PPM = 0xFFFFFF;
    /// @notice Mechanics value meaning "not reported".
    uint256 internal constant NOT_REPORTED_U32 = 0xFFFFFFFF;
    /// @notice 100 % of mass in ppm.
    uint256 internal constant MAX_PPM = 1_000_000;
    /// @notice 100 % in hundredths of a percent.
    uint256 internal constant MAX_PERCENT_X100 = 10_000;
    /// @notice The highest hardness scale code (HV).
    uint256 internal constant MAX_HARDNESS_SCALE = 4;

    /// @notice Mechanics field indices, as reported by `InvalidMechanics`.
    uint256 internal constant ELONGATION = 2;
    uint256 internal constant REDUCTION_OF_AREA = 3;
    uint256 internal constant HARDNESS = 5;
    uint256 internal constant HARDNESS_SCALE = 6;
    /// @notice Index reported for non-zero unused bits.
    uint256 internal constant PADDING = 7;

    /// @notice Chemistry element `element` is above 100 % and not the "not reported" marker; `element` 19 (word 0)
    /// or 20 (word 1) means unused bits are set, with `value` their content.
    error InvalidChemistry(uint256 element, uint256 value);
    /// @notice Mechanics field `field` (see the layout) holds an impossible `value`; 7 means unused bits are set.
    error InvalidMechanics(uint256 field, uint256 value);

    /// @notice Reverts unless every chemistry value is a ppm of at most 100 % or not reported, and unused bits are 0.
    function validateChemistry(uint256[2] calldata chemistry) internal pure {
        uint256 word0 = chemistry[0];
        uint256 word1 = chemistry[1];
        if (word0 >> 240 != 0) revert InvalidChemistry(ELEMENTS, word0 >> 240);
        if (word1 >> 216 != 0) revert InvalidChemistry(ELEMENTS + 1, word1 >> 216);
        for (uint256 i; i < ELEMENTS; ++i) {
            uint256 value = ((i < 10 ? word0 : word1) >> (24 * (i % 10))) & 0xFFFFFF;
            if (value > MAX_PPM && value != NOT_REPORTED_PPM) revert InvalidChemistry(i, value);
        }
    }

    /// @notice The `uint32` mechanics field `field` (0..6).
    function fieldAt(uint256 mechanics, uint256 field) internal pure returns (uint256) {
        return (mechanics >> (32 * field)) & 0xFFFFFFFF;
    }

    /// @notice Reverts unless the percentages are at most 100 %, the hardness scale is known and consistent with the
    /// hardness, and unused bits are 0.
    function validateMechanics(uint256 mechanics) internal pure {
        if (mechanics >> 200 != 0) revert InvalidMechanics(PADDING, mechanics >> 200);
        uint256 elongation = fieldAt(mechanics, ELONGATION);
        if (elongation > MAX_PERCENT_X100 && elongation != NOT_REPORTED_U32) {
            revert InvalidMechanics(ELONGATION, elongation);
        }
        uint256 reduction = fieldAt(mechanics, REDUCTION_OF_AREA);
        if (reduction > MAX_PERCENT_X100 && reduction != NOT_REPORTED_U32) {
            revert InvalidMechanics(REDUCTION_OF_AREA, reduction);
        }
        uint256 scale = (mechanics >> 192) & 0xFF;
        if (scale > MAX_HARDNESS_SCALE) revert InvalidMechanics(HARDNESS_SCALE, scale);
        uint256 hardness = fieldAt(mechanics, HARDNESS);
        if ((scale == 0) != (hardness == NOT_REPORTED_U32)) revert InvalidMechanics(HARDNESS, hardness);
    }
}
